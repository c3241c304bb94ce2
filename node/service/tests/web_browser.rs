//! The scan page and dashboard in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`) renders pages of a real `yima-node --dev` with the demo histories. Chromium is driven through its
//! own headless command line (`--dump-dom` for the DOM after load and scripts, `--screenshot` for images), so
//! no driver or protocol crate is needed. Screenshots at 375 and 1280 px go to `<target>/test-artifacts/`.
//! A QR code from `/qr/…png` is read back by `zbarimg` (Debian's zbar-tools) and must resolve to the same page.
//!
//! Without `/usr/bin/chromium` (or `$CHROMIUM`) the test says so loudly and skips; CI installs it.

mod web_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use web_support::{artefacts_dir, DevNode, DUMPLINGS};

fn find(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    std::env::var_os(env)
        .map(PathBuf::from)
        .into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

fn skip(what: &str) {
    eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!!! SKIPPED: {what} is not installed here.");
    eprintln!("!!! apt-get install -y chromium zbar-tools   (.ci/run does this on CI)");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
}

/// Headless Chromium with this machine's flags and a fresh profile in `profile`.
fn chromium(bin: &Path, profile: &Path, width: u32, extra: &[String], url: &str) -> String {
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            // A phone set to Chinese: Accept-Language picks the page's language.
            "--lang=zh-CN",
            "--accept-lang=zh-CN,zh",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},1400"))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn dump_dom(bin: &Path, profile: &Path, width: u32, url: &str) -> String {
    chromium(bin, profile, width, &["--dump-dom".into()], url)
}

fn screenshot(bin: &Path, profile: &Path, width: u32, url: &str, file: &Path) {
    let _ = std::fs::remove_file(file);
    chromium(
        bin,
        profile,
        width,
        &[format!("--screenshot={}", file.display())],
        url,
    );
    let bytes =
        std::fs::read(file).unwrap_or_else(|e| panic!("no screenshot {}: {e}", file.display()));
    let decoder = png::Decoder::new(&bytes[..]);
    let reader = decoder.read_info().expect("screenshot is a PNG");
    assert_eq!(reader.info().width, width, "screenshot width");
}

/// The part of `html` from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in the page:\n{html}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_page_dashboard_and_qr_in_headless_chromium() {
    let Some(bin) = find(
        "CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    ) else {
        skip("chromium");
        return;
    };
    let node = DevNode::start(&[]).await;
    node.wait_for_demo().await;
    let profile = tempfile::tempdir().expect("profile dir");
    let url = node.url(DUMPLINGS);

    // The phone-sized page, as the browser built it.
    let dom = dump_dom(&bin, profile.path(), 375, &url);
    let timeline = section(&dom, "timeline");
    let hops = timeline.matches("<li class=\"hop").count();
    assert!(
        hops >= 7,
        "the dumplings' journey has its hops: {hops}\n{timeline}"
    );
    for step in ["赋码生产", "装箱", "发货", "收货", "拆箱", "零售售出"] {
        assert!(timeline.contains(step), "step {step} in words:\n{timeline}");
    }
    // Who: organisation names from membership state; when: local time.
    assert!(timeline.contains("(UTC+08:00)"), "{timeline}");
    assert!(
        !timeline.contains(">#"),
        "every organisation has its name:\n{timeline}"
    );
    // The warm leg is an alert: amber status, alerts before the timeline, the excursion marked on the chart.
    assert!(dom.contains("class=\"status alert\""), "amber status line");
    let alerts_at = dom.find("id=\"alerts\"").expect("alerts section");
    assert!(
        alerts_at < dom.find("id=\"timeline\"").unwrap(),
        "alerts come first"
    );
    let chart = section(&dom, "chart");
    assert!(
        chart.contains("<svg") && chart.contains("class=\"band\""),
        "{chart}"
    );
    assert!(
        chart.contains("class=\"reading excursion\""),
        "excursion marked:\n{chart}"
    );
    assert!(
        chart.contains("class=\"reading\""),
        "in-band readings drawn:\n{chart}"
    );
    // The badge is earned by verifying every hop's proof.
    let badge = section(&dom, "verification");
    assert!(
        badge.contains("class=\"badge ok\""),
        "verified badge:\n{badge}"
    );
    assert!(
        badge.contains("href=\"/bundle/01/06970000000017/21/DP0001.json\""),
        "{badge}"
    );
    assert!(
        section(&dom, "containers").contains("/00/"),
        "the case it travelled in"
    );

    // English by the switch; by Accept-Language in the JSON/HTML tests.
    let en = dump_dom(&bin, profile.path(), 1280, &format!("{url}?lang=en"));
    assert!(
        en.contains("Journey") && en.contains("Sold at retail"),
        "English page"
    );
    assert!(en.contains("lang=\"en\""));

    // Screenshots at phone and desktop widths.
    let dir = artefacts_dir();
    screenshot(&bin, profile.path(), 375, &url, &dir.join("scan-375.png"));
    screenshot(
        &bin,
        profile.path(),
        1280,
        &format!("{url}?lang=en"),
        &dir.join("scan-1280.png"),
    );
    eprintln!("screenshots in {}", dir.display());

    // The dashboard: health, recent alerts, and the inline script's WebSocket subscription connected.
    let dash = chromium(
        &bin,
        profile.path(),
        1280,
        &["--dump-dom".into(), "--virtual-time-budget=3000".into()],
        &node.url("/dashboard?lang=en"),
    );
    assert!(
        section(&dash, "health").contains("id=\"h-height\""),
        "{dash}"
    );
    let alerts = section(&dash, "alerts");
    assert!(
        alerts.contains("temperature_excursion"),
        "recent alerts listed:\n{alerts}"
    );
    assert!(
        alerts.contains("id=\"ws-state\" title=\"WebSocket\">●"),
        "the dashboard's script subscribed to alerts over the WebSocket:\n{alerts}"
    );
    screenshot(
        &bin,
        profile.path(),
        375,
        &node.url("/dashboard"),
        &dir.join("dashboard-375.png"),
    );

    // The QR code, read by a real decoder, resolves to the same page.
    let Some(zbarimg) = find("ZBARIMG", &["/usr/bin/zbarimg"]) else {
        skip("zbarimg");
        return;
    };
    let qr = node.get("/qr/01/06970000000017/21/DP0001.png", &[]);
    assert_eq!(qr.status, 200);
    assert_eq!(qr.header("content-type").as_deref(), Some("image/png"));
    let file = dir.join("qr-DP0001.png");
    std::fs::write(&file, &qr.body).expect("write QR");
    let out = Command::new(zbarimg)
        .args(["--quiet", "--raw"])
        .arg(&file)
        .output()
        .expect("run zbarimg");
    assert!(out.status.success(), "zbarimg read nothing");
    let decoded = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(decoded, url, "the QR holds the Digital Link URL");
    let again = dump_dom(&bin, profile.path(), 375, &decoded);
    assert_eq!(
        section(&again, "timeline"),
        section(&dom, "timeline"),
        "the decoded URL shows the same journey"
    );
}
