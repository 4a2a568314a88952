//! The auditor's binder: its entries for the demo company (evidence under the control's
//! period, populations cut to the range, a manifest of hashes), byte-identical twice, and a
//! verify that catches a changed, a removed and an added entry. A missing evidence file
//! stops it unless allowed, and is then listed.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::binder::{self, BinderManifest};
use readyroom_core::evidence::{self, EvidenceInput, EvidenceTarget};
use readyroom_core::{demo, ErrorCode, Workspace};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const RANGE: (&str, &str) = ("2026-01-01", "2026-11-26");

/// The demo company, with one file attached to activities of two controls.
fn demo_with_files(path: &Path) -> Workspace {
    let ws = open(path).unwrap();
    ws.write(|tx, now| demo::create(tx, now, d("2026-11-26"))).unwrap();
    let dir = ws.attachments_dir();
    let activities: Vec<i64> = ws
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT min(a.id) FROM control_activities a JOIN controls k ON k.id = a.control_id
                 WHERE a.performed_on >= '2026-01-01' GROUP BY k.reference ORDER BY k.reference LIMIT 2",
            )?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
        .unwrap();
    let input = |name: &str| EvidenceInput {
        file_name: name.into(),
        effective_date: "2026-06-30".into(),
        expires_on: String::new(),
        added_by: None,
        description: String::new(),
    };
    ws.write(|tx, now| {
        for id in &activities {
            evidence::attach(
                tx,
                now,
                &dir,
                EvidenceTarget::Activity(*id),
                b"username,role\nann,admin\n",
                &input("users.csv"),
            )?;
        }
        Ok(())
    })
    .unwrap();
    ws
}

fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    // Lines wrap where the layout decides: compare with whitespace collapsed.
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn export(ws: &Workspace, out: &Path, allow_missing: bool) -> readyroom_core::Result<binder::BinderSummary> {
    ws.read(|c| {
        binder::export(c, &ws.protected(), out, (d(RANGE.0), d(RANGE.1)), "test", allow_missing, &mut |_, _| true)
    })
}

fn entries(zip: &Path) -> Vec<String> {
    let mut z = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..z.len()).map(|i| z.by_index(i).unwrap().name().unwrap().into_owned()).collect()
}

fn read_entry(zip: &Path, name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let mut out = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

/// A copy of `from` at `to` with `change` applied to each entry (none drops it) and `add`.
fn rewrite(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>, add: Option<(&str, &[u8])>) {
    let mut z = zip::ZipArchive::new(fs::File::open(from).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(fs::File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(&bytes).unwrap();
        }
    }
    if let Some((name, bytes)) = add {
        w.start_file(name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn the_binder_holds_the_evidence_by_period_and_the_populations_of_the_range() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let out = dir.path().join("binder.zip");
    let summary = export(&ws, &out, false).unwrap();
    assert!(summary.missing.is_empty());
    assert_eq!(summary.evidence_files, 1, "the same file attached twice is stored once");
    assert_eq!(summary.populations, 10);

    let names = entries(&out);
    let evidence: Vec<&String> = names.iter().filter(|n| n.starts_with("evidence/")).collect();
    assert_eq!(evidence.len(), 1, "{names:?}");
    assert!(evidence[0].starts_with("evidence/controls/") && evidence[0].ends_with("/users.csv"), "{}", evidence[0]);
    // The folder is the control's period holding the file's date (YYYY-MM-DD_YYYY-MM-DD).
    let period = evidence[0].split('/').nth(3).unwrap();
    let (start, end) = period.split_once('_').expect("a period folder");
    assert!(d(start) <= d("2026-06-30") && d("2026-06-30") <= d(end), "{period}");
    assert_eq!(read_entry(&out, evidence[0]), b"username,role\nann,admin\n");

    let manifest: BinderManifest = serde_json::from_slice(&read_entry(&out, "manifest.json")).unwrap();
    assert_eq!((manifest.from, manifest.to), (d(RANGE.0), d(RANGE.1)));
    assert_eq!(manifest.same_as.len(), 1, "the second place of the same file refers to the first");
    assert_eq!(manifest.same_as[0].stored_at, *evidence[0]);
    let listed: Vec<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(listed.len(), names.len() - 1, "every entry but the manifest is listed");

    // The index names the file under its control's period, with its short SHA-256.
    let pdf = dir.path().join("index.pdf");
    fs::write(&pdf, read_entry(&out, "index.pdf")).unwrap();
    let text = pdftotext(&pdf);
    assert!(text.contains("Auditor binder:"), "{text}");
    let sha8 = &evidence::sha256_hex(b"username,role\nann,admin\n")[..8];
    assert!(text.contains(&format!("users.csv ({sha8})")), "{text}");
    assert!(text.contains("Exceptions and management responses"), "{text}");
    assert!(text.contains("populations/changes.csv:"), "{text}");

    // Populations: the range cuts them, with the register files' columns.
    let changes = String::from_utf8(read_entry(&out, "populations/changes.csv")).unwrap();
    let header = changes.lines().next().unwrap();
    assert!(header.starts_with("reference,title,"), "{header}");
    for row in changes.lines().skip(1) {
        assert!(row.contains(",2026-"), "a change deployed in the range: {row}");
    }
    let all_changes = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Changes)).unwrap();
    assert!(all_changes.lines().count() >= changes.lines().count());
    let narrow = dir.path().join("narrow.zip");
    ws.read(|c| {
        binder::export(c, &ws.protected(), &narrow, (d("2026-11-20"), d("2026-11-26")), "test", false, &mut |_, _| true)
    })
    .unwrap();
    let few = String::from_utf8(read_entry(&narrow, "populations/changes.csv")).unwrap();
    assert!(few.lines().count() < changes.lines().count(), "a week holds fewer changes than the year");

    // The same workspace and range give the same bytes.
    let again = dir.path().join("again.zip");
    export(&ws, &again, false).unwrap();
    assert_eq!(fs::read(&out).unwrap(), fs::read(&again).unwrap());
    let report = binder::verify(&out).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.entries as usize, names.len() - 1);
}

#[test]
fn verify_names_a_changed_a_removed_and_an_added_entry() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let out = dir.path().join("binder.zip");
    export(&ws, &out, false).unwrap();
    let tampered = dir.path().join("tampered.zip");
    rewrite(
        &out,
        &tampered,
        |name, mut bytes| match name {
            "populations/vendors.csv" => None,
            n if n.starts_with("evidence/") => {
                bytes[0] ^= 1;
                Some(bytes)
            }
            _ => Some(bytes),
        },
        Some(("evidence/controls/extra.txt", b"not from Readyroom")),
    );
    let report = binder::verify(&tampered).unwrap();
    assert!(!report.ok());
    assert_eq!(report.missing, ["populations/vendors.csv"]);
    assert_eq!(report.extra, ["evidence/controls/extra.txt"]);
    assert_eq!(report.changed.len(), 1);
    assert!(report.changed[0].ends_with("/users.csv"));
    // Not a zip at all, and a zip without a manifest.
    let junk = dir.path().join("junk.zip");
    fs::write(&junk, b"PK\x03\x04 cut short").unwrap();
    assert_eq!(binder::verify(&junk).unwrap_err().code, ErrorCode::ArchiveInvalid);
    let bare = dir.path().join("bare.zip");
    rewrite(&out, &bare, |name, bytes| (name != "manifest.json").then_some(bytes), None);
    assert!(binder::verify(&bare).unwrap_err().message.contains("no manifest.json"));
}

#[test]
fn a_missing_evidence_file_stops_the_binder_unless_allowed_and_is_then_listed() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let sha = evidence::sha256_hex(b"username,role\nann,admin\n");
    fs::remove_file(ws.attachments_dir().join(&sha)).unwrap();
    let out = dir.path().join("binder.zip");
    let err = export(&ws, &out, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::EvidenceMissing);
    assert!(!out.exists(), "nothing written");
    let summary = export(&ws, &out, true).unwrap();
    assert_eq!(summary.missing.len(), 2, "both places of the missing file: {:?}", summary.missing);
    let manifest: BinderManifest = serde_json::from_slice(&read_entry(&out, "manifest.json")).unwrap();
    assert_eq!(manifest.missing, summary.missing);
    assert!(binder::verify(&out).unwrap().ok());
    // A range that ends before it starts is refused on its field.
    let err = ws
        .read(|c| binder::export(c, &ws.protected(), &out, (d(RANGE.1), d(RANGE.0)), "t", false, &mut |_, _| true))
        .unwrap_err();
    assert_eq!(err.fields[0].field, "from");
}
