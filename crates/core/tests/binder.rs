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

#[test]
fn the_binder_files_the_policies_in_force_and_what_answers_each_request() {
    use readyroom_core::refs::Population;
    use readyroom_core::requests::{self, RequestLink};
    use readyroom_core::{policies, settings};
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let users = ws.read(|c| evidence::find(c, "users.csv", 5)).unwrap();
    let policy = ws.read(|c| policies::list(c, false)).unwrap().into_iter().next().unwrap();
    let pbc2 = ws.read(|c| requests::list(c, false)).unwrap().into_iter().find(|r| r.reference == "PBC-002").unwrap();
    let doc = b"%PDF-1.4 the policy as approved";
    ws.write(|tx, now| {
        let input = EvidenceInput {
            file_name: "policy.pdf".into(),
            effective_date: "2025-12-01".into(),
            expires_on: String::new(),
            added_by: None,
            description: String::new(),
        };
        evidence::attach(tx, now, &ws.attachments_dir(), EvidenceTarget::Policy(policy.id), doc, &input)?;
        requests::link(tx, now, pbc2.id, RequestLink::Evidence(users[0].evidence.id))?;
        requests::link(tx, now, pbc2.id, RequestLink::Policy(policy.id))?;
        requests::link(tx, now, pbc2.id, RequestLink::Population(Population::AccessReviews))
    })
    .unwrap();
    let out = dir.path().join("binder.zip");
    export(&ws, &out, false).unwrap();
    let names = entries(&out);
    let manifest: BinderManifest = serde_json::from_slice(&read_entry(&out, "manifest.json")).unwrap();

    // The workspace's id, kept from its creation.
    let id = ws.read(settings::workspace_id).unwrap();
    assert_eq!(id.len(), 32);
    assert_eq!(manifest.workspace_id, id);

    // policies/<title>/: the document in force (dated before the range) and the approvals.
    let folder = format!("policies/{}/", policy.title);
    assert!(names.contains(&format!("{folder}policy.pdf")), "{names:?}");
    assert_eq!(read_entry(&out, &format!("{folder}policy.pdf")), doc);
    let approvals = String::from_utf8(read_entry(&out, &format!("{folder}approvals.csv"))).unwrap();
    assert!(approvals.starts_with("policy,version,approved_on"), "{approvals}");
    assert!(approvals.lines().skip(1).all(|l| l.starts_with(&policy.title)), "{approvals}");
    assert!(approvals.lines().count() >= 2, "{approvals}");
    assert!(!names.iter().any(|n| n.starts_with("evidence/policies/")), "policies' files live in policies/");

    // requests/: the list, and each request's sheet saying where its items are. The linked
    // file is stored once (under its control) and referred to from the request's folder.
    let list = String::from_utf8(read_entry(&out, "requests/request_list.csv")).unwrap();
    assert_eq!(list.lines().count(), 6, "{list}");
    let sheet = String::from_utf8(read_entry(&out, "requests/PBC-002/request.csv")).unwrap();
    assert!(sheet.starts_with("answered_by,item,in_binder,effective_date,sha256"), "{sheet}");
    let stored = names.iter().find(|n| n.starts_with("evidence/controls/") && n.ends_with("users.csv")).unwrap();
    assert!(sheet.contains(&format!("users.csv,{stored},2026-06-30,")), "{sheet}");
    assert!(sheet.contains(&format!("policy,{},{folder},", policy.title)), "{sheet}");
    assert!(sheet.contains("population,Access reviews,populations/access_reviews.csv"), "{sheet}");
    assert!(sheet.contains("control,AC-05,evidence/controls/AC-05/"), "{sheet}");
    assert!(manifest.same_as.iter().any(|s| s.path == "requests/PBC-002/users.csv" && s.stored_at == *stored));
    assert!(!names.contains(&"requests/PBC-002/users.csv".to_owned()), "stored once");

    // The index lists the requests with their status and the policies in force.
    let pdf = dir.path().join("index.pdf");
    fs::write(&pdf, read_entry(&out, "index.pdf")).unwrap();
    let text = pdftotext(&pdf);
    assert!(text.contains("The auditor's requests"), "{text}");
    assert!(text.contains("PBC-002"), "{text}");
    assert!(text.contains("Follow-up"), "{text}");
    assert!(text.contains("Policies in force"), "{text}");
    assert!(binder::verify(&out).unwrap().ok());
}

#[test]
fn the_binder_refuses_to_overwrite_the_workspace_or_its_files() {
    let (_dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let before = fs::read(&path).unwrap();
    let err = export(&ws, &path, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutputRefused);
    let sha = evidence::sha256_hex(b"username,role\nann,admin\n");
    let attachment = ws.attachments_dir().join(&sha);
    let err = export(&ws, &attachment, false).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutputRefused);
    assert_eq!(fs::read(&attachment).unwrap(), b"username,role\nann,admin\n", "the attachment is untouched");
    assert_eq!(fs::read(&path).unwrap(), before, "the workspace is untouched");
}
