//! Chinese and English: the language of a request (`?lang=en|zh` first, then `Accept-Language`, then Chinese),
//! every fixed text of the pages in both, CBV business steps in words, and local times.

use yima_trace::epcis::BizStep;

/// A page language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `?lang=` if given and known, else the first of `Accept-Language` we speak (by q-value), else Chinese.
    pub fn negotiate(query_lang: Option<&str>, accept_language: Option<&str>) -> Lang {
        match query_lang {
            Some("en") => return Lang::En,
            Some("zh") => return Lang::Zh,
            _ => {}
        }
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.unwrap_or("").split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else if tag == "zh" || tag.starts_with("zh-") {
                Lang::Zh
            } else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Zh)
    }

    /// The `lang` attribute and `?lang=` value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The other language (the switch link).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The fixed texts.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// A business step in words.
    pub fn step(self, step: BizStep) -> &'static str {
        let (zh, en) = match step {
            BizStep::Commissioning => ("赋码生产", "Commissioned"),
            BizStep::Shipping => ("发货", "Shipped"),
            BizStep::Receiving => ("收货", "Received"),
            BizStep::Storing => ("入库储存", "Stored"),
            BizStep::Inspecting => ("检验", "Inspected"),
            BizStep::Packing => ("装箱", "Packed"),
            BizStep::Unpacking => ("拆箱", "Unpacked"),
            BizStep::RetailSelling => ("零售售出", "Sold at retail"),
            BizStep::Dispensing => ("药房调配", "Dispensed"),
            BizStep::Administering => ("接种", "Administered"),
            BizStep::Destroying => ("销毁", "Destroyed"),
            BizStep::Transforming => ("加工转换", "Processed"),
            BizStep::Other => ("其他", "Other"),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Every fixed text of the pages.
#[derive(Debug)]
pub struct Texts {
    /// Scan page title.
    pub scan_title: &'static str,
    /// Status: normal.
    pub status_normal: &'static str,
    /// Status: an alert.
    pub status_alert: &'static str,
    /// Status: recalled.
    pub status_recalled: &'static str,
    /// Status: expired.
    pub status_expired: &'static str,
    /// "Product".
    pub product: &'static str,
    /// "Lot".
    pub lot: &'static str,
    /// "Held by".
    pub holder: &'static str,
    /// "Expires".
    pub expires: &'static str,
    /// Alerts heading.
    pub alerts: &'static str,
    /// The lot is held for a positive test.
    pub held_positive: &'static str,
    /// The lot is held for a failed test.
    pub held_failed: &'static str,
    /// A regulator cleared an excursion flag.
    pub excursion_cleared: &'static str,
    /// A regulator released the lot's hold on a retest.
    pub hold_released: &'static str,
    /// A regulator disposed of the lot: its codes are destroyed.
    pub hold_disposed: &'static str,
    /// Timeline heading.
    pub timeline: &'static str,
    /// Containers heading.
    pub containers: &'static str,
    /// "packed in".
    pub packed_in: &'static str,
    /// "still inside".
    pub still_inside: &'static str,
    /// "taken out at block".
    pub unpacked_at: &'static str,
    /// Chart heading.
    pub temperature: &'static str,
    /// Chart legend: the allowed band.
    pub allowed_band: &'static str,
    /// Chart legend: an excursion.
    pub excursion: &'static str,
    /// No sensor readings.
    pub no_readings: &'static str,
    /// Certificates heading.
    pub certificates: &'static str,
    /// "valid".
    pub valid: &'static str,
    /// "not valid now".
    pub not_valid: &'static str,
    /// "revoked".
    pub revoked: &'static str,
    /// "until".
    pub until: &'static str,
    /// "no end date".
    pub open_ended: &'static str,
    /// "issued by".
    pub issued_by: &'static str,
    /// No certificates.
    pub no_certificates: &'static str,
    /// Badge: verified.
    pub verified: &'static str,
    /// Badge: not verified.
    pub not_verified: &'static str,
    /// Audit bundle link.
    pub audit_bundle: &'static str,
    /// "via container".
    pub via_container: &'static str,
    /// "upstream (ingredient)".
    pub via_upstream: &'static str,
    /// "downstream".
    pub via_downstream: &'static str,
    /// Pagination: "earlier".
    pub prev_page: &'static str,
    /// Pagination: "later".
    pub next_page: &'static str,
    /// "page".
    pub page: &'static str,
    /// "of".
    pub of: &'static str,
    /// 404 title.
    pub not_found_title: &'static str,
    /// 404 text.
    pub not_found_text: &'static str,
    /// 400 title.
    pub malformed_title: &'static str,
    /// Read at height.
    pub at_height: &'static str,
    /// Dashboard title.
    pub dashboard: &'static str,
    /// Live alerts heading.
    pub live_alerts: &'static str,
    /// Waiting for alerts.
    pub waiting: &'static str,
    /// Chain health heading.
    pub health: &'static str,
    /// Height.
    pub height: &'static str,
    /// Finalized.
    pub finalized: &'static str,
    /// Peers.
    pub peers: &'static str,
    /// Recall heading.
    pub recall: &'static str,
    /// Recall form label.
    pub recall_prompt: &'static str,
    /// Recall submit.
    pub search: &'static str,
    /// Holders heading.
    pub holders: &'static str,
    /// Quantity.
    pub quantity: &'static str,
    /// Codes heading.
    pub codes: &'static str,
    /// Status column.
    pub status: &'static str,
    /// Switch label.
    pub switch: &'static str,
    /// "Who / where / when / what" column words.
    pub where_: &'static str,
}

/// 简体中文.
pub static ZH: Texts = Texts {
    scan_title: "一码溯源",
    status_normal: "正常",
    status_alert: "有预警",
    status_recalled: "已召回",
    status_expired: "已过期",
    product: "产品",
    lot: "批次",
    holder: "当前持有",
    expires: "有效期至",
    alerts: "预警",
    held_positive: "本批次核酸检测阳性，已封存，请勿食用",
    held_failed: "本批次抽检不合格，已封存，请勿食用",
    excursion_cleared: "监管部门已核查温度异常并解除标记",
    hold_released: "监管部门已依据复检结果解除本批次封存",
    hold_disposed: "本批次已由监管部门作不合格产品处置，请勿食用",
    timeline: "流转记录",
    containers: "所在包装/容器",
    packed_in: "装入",
    still_inside: "仍在其中",
    unpacked_at: "取出于区块",
    temperature: "全程温度",
    allowed_band: "允许范围",
    excursion: "温度超标",
    no_readings: "无温度记录",
    certificates: "证照与检验",
    valid: "有效",
    not_valid: "当前无效",
    revoked: "已撤销",
    until: "至",
    open_ended: "长期有效",
    issued_by: "签发",
    no_certificates: "无证照记录",
    verified: "已验证：每一环节的区块证明均已核验",
    not_verified: "未通过验证",
    audit_bundle: "下载审计证明包",
    via_container: "随容器",
    via_upstream: "原料",
    via_downstream: "下游",
    prev_page: "较早",
    next_page: "较晚",
    page: "第",
    of: "页，共",
    not_found_title: "查无此码",
    not_found_text: "此码不在本链上。请核对号码，或稍后再扫（赋码的区块可能尚未确认）。",
    malformed_title: "码格式有误",
    at_height: "数据读取自区块高度",
    dashboard: "监管驾驶舱",
    live_alerts: "实时预警",
    waiting: "等待新预警…",
    health: "链状态",
    height: "区块高度",
    finalized: "已最终确认",
    peers: "连接节点",
    recall: "一键排查",
    recall_prompt: "批次（如 /01/06970000000017/10/LOT 或 产品码/批号）",
    search: "排查",
    holders: "持有单位",
    quantity: "数量",
    codes: "追溯码",
    status: "状态",
    switch: "English",
    where_: "地点",
};

/// English.
pub static EN: Texts = Texts {
    scan_title: "Product trace",
    status_normal: "Normal",
    status_alert: "Alert",
    status_recalled: "Recalled",
    status_expired: "Expired",
    product: "Product",
    lot: "Lot",
    holder: "Held by",
    expires: "Expires",
    alerts: "Alerts",
    held_positive: "This lot tested positive and is held: do not eat",
    held_failed: "This lot failed a food test and is held: do not eat",
    excursion_cleared: "A regulator reviewed the temperature excursion and cleared it",
    hold_released: "A regulator released this lot's hold on a retest",
    hold_disposed: "A regulator ordered this lot disposed of as unqualified: do not eat",
    timeline: "Journey",
    containers: "Containers",
    packed_in: "packed in",
    still_inside: "still inside",
    unpacked_at: "taken out at block",
    temperature: "Temperature over the journey",
    allowed_band: "allowed band",
    excursion: "excursion",
    no_readings: "No temperature readings",
    certificates: "Certificates",
    valid: "valid",
    not_valid: "not valid now",
    revoked: "revoked",
    until: "until",
    open_ended: "no end date",
    issued_by: "issued by",
    no_certificates: "No certificates",
    verified: "Verified: every step's block proof checked",
    not_verified: "Not verified",
    audit_bundle: "Download the audit bundle",
    via_container: "in container",
    via_upstream: "ingredient",
    via_downstream: "downstream",
    prev_page: "Earlier",
    next_page: "Later",
    page: "Page",
    of: "of",
    not_found_title: "Code not found",
    not_found_text: "This code is not on this chain. Check the number, or scan again later (the block that records it may not be final yet).",
    malformed_title: "Not a valid code",
    at_height: "Read at block height",
    dashboard: "Regulator dashboard",
    live_alerts: "Live alerts",
    waiting: "Waiting for alerts…",
    health: "Chain health",
    height: "Height",
    finalized: "Finalized",
    peers: "Peers",
    recall: "Recall (all holders of a lot)",
    recall_prompt: "Lot (e.g. /01/06970000000017/10/LOT or product/lot)",
    search: "Find holders",
    holders: "Holders",
    quantity: "Quantity",
    codes: "Codes",
    status: "Status",
    switch: "中文",
    where_: "Where",
};

/// `ms` UTC shown in the zone `offset_minutes` east of UTC: `2026-11-20 14:05 (UTC+08:00)`.
pub fn local_time(ms: u64, offset_minutes: i16) -> String {
    let secs = (ms / 1000) as i64 + i64::from(offset_minutes) * 60;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} (UTC{sign}{:02}:{:02})",
        rem / 3600,
        rem % 3600 / 60,
        off / 60,
        off % 60
    )
}

/// `ms` UTC as a date in the zone `offset_minutes` east of UTC.
pub fn local_date(ms: u64, offset_minutes: i16) -> String {
    local_time(ms, offset_minutes)[..10].to_string()
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_by_query_then_header() {
        assert_eq!(Lang::negotiate(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("fr, en;q=0.5, zh-CN;q=0.8")),
            Lang::Zh
        );
        assert_eq!(Lang::negotiate(Some("xx"), None), Lang::Zh);
        assert_eq!(Lang::negotiate(None, Some("de")), Lang::Zh);
    }

    #[test]
    fn local_times() {
        // 2026-11-26 00:00 UTC.
        let ms = 1_795_651_200_000;
        assert_eq!(local_time(ms, 480), "2026-11-26 08:00 (UTC+08:00)");
        assert_eq!(local_time(ms, -90), "2026-11-25 22:30 (UTC-01:30)");
        assert_eq!(local_date(0, 0), "1970-01-01");
        assert_eq!(
            local_time(951_782_400_000, 0),
            "2000-02-29 00:00 (UTC+00:00)"
        );
    }
}
