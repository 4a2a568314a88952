//! Evidence files: stored by SHA-256 beside the workspace, de-duplicated, validated, and
//! checked so that a missing or altered file is reported rather than ignored.

mod common;

use std::fs;

use common::{open, temp_workspace};
use readyroom_core::controls::{self, ActivityInput, ControlInput};
use readyroom_core::evidence::{self, EvidenceInput, EvidenceTarget};
use readyroom_core::policies::{self, PolicyInput};
use readyroom_core::{ErrorCode, Workspace};

fn activity(ws: &Workspace) -> (i64, i64) {
    let c = ControlInput { reference: "AC-05".into(), title: "Access review".into(), ..Default::default() };
    let c = ws.write(|tx, now| controls::create(tx, now, &c)).unwrap();
    let a = ActivityInput { performed_on: "2026-10-01".into(), ..Default::default() };
    let a = ws.write(|tx, now| controls::add_activity(tx, now, c.id, &a)).unwrap();
    (c.id, a.id)
}

fn input(name: &str) -> EvidenceInput {
    EvidenceInput { file_name: name.into(), effective_date: "2026-10-01".into(), ..Default::default() }
}

#[test]
fn files_are_stored_by_hash_and_identical_files_once() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    assert_eq!(folder.dir(), dir.path().join("acme.attachments"));
    let (control, act) = activity(&ws);
    let bytes = b"user,role\nann,admin\n";
    let e1 = ws
        .write(|tx, now| {
            evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), bytes, &input("users-q3.csv"))
        })
        .unwrap();
    assert_eq!(e1.sha256.as_deref(), Some(evidence::sha256_hex(bytes).as_str()));
    assert_eq!(e1.sha256.as_deref().unwrap().len(), 64);
    assert_eq!(fs::read(folder.join(e1.sha256.as_deref().unwrap())).unwrap(), bytes);
    let e2 = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), bytes, &input("copy.csv")))
        .unwrap();
    assert_eq!(e2.sha256, e1.sha256);
    let stored: Vec<_> = fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(stored.len(), 1, "identical content is stored once: {stored:?}");

    let detail = ws.read(|c| controls::detail(c, control)).unwrap();
    assert_eq!(detail.evidence.len(), 2);
    assert_eq!(detail.evidence[0].activity_id, Some(act));
}

#[test]
fn bad_input_is_refused_and_nothing_is_stored() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let (_, act) = activity(&ws);
    let bad = EvidenceInput {
        file_name: "".into(),
        effective_date: "2027-01-01".into(),
        expires_on: "2026-01-01".into(),
        added_by: Some(999),
        description: String::new(),
    };
    let err =
        ws.write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), b"x", &bad)).unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["file_name", "effective_date", "expires_on", "added_by"]);
    let err = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), b"", &input("empty.pdf")))
        .unwrap_err();
    assert_eq!(err.fields[0].message, "The file is empty.");
    let err = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Policy(42), b"x", &input("a.pdf")))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(!folder.exists(), "no file was stored for refused evidence");
}

#[test]
fn missing_and_altered_files_are_reported() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let p = ws
        .write(|tx, now| {
            policies::create(tx, now, &PolicyInput { title: "Access Control Policy".into(), ..Default::default() })
        })
        .unwrap();
    let doc = ws
        .write(|tx, now| {
            evidence::attach(tx, now, &folder, EvidenceTarget::Policy(p.id), b"%PDF policy v1", &input("acp.pdf"))
        })
        .unwrap();
    let log = ws
        .write(|tx, now| {
            evidence::attach(tx, now, &folder, EvidenceTarget::Policy(p.id), b"log review", &input("log.txt"))
        })
        .unwrap();
    assert_eq!(
        ws.read(|c| evidence::checked_path(c, &folder, doc.id)).unwrap(),
        folder.join(doc.sha256.as_deref().unwrap())
    );
    assert!(ws.read(|c| evidence::verify_all(c, &folder)).unwrap().is_empty());
    assert_eq!(ws.read(|c| policies::detail(c, p.id)).unwrap().evidence.len(), 2);

    fs::write(folder.join(doc.sha256.as_deref().unwrap()), b"%PDF policy v1 (edited)").unwrap();
    fs::remove_file(folder.join(log.sha256.as_deref().unwrap())).unwrap();
    assert_eq!(ws.read(|c| evidence::checked_path(c, &folder, doc.id)).unwrap_err().code, ErrorCode::EvidenceAltered);
    assert_eq!(ws.read(|c| evidence::checked_path(c, &folder, log.id)).unwrap_err().code, ErrorCode::EvidenceMissing);
    let problems = ws.read(|c| evidence::verify_all(c, &folder)).unwrap();
    let codes: Vec<(&str, ErrorCode)> = problems.iter().map(|p| (p.evidence.file_name.as_str(), p.code)).collect();
    assert_eq!(codes, [("acp.pdf", ErrorCode::EvidenceAltered), ("log.txt", ErrorCode::EvidenceMissing)]);

    // Attaching the original again repairs the stored copy.
    ws.write(|tx, now| {
        evidence::attach(tx, now, &folder, EvidenceTarget::Policy(p.id), b"%PDF policy v1", &input("acp.pdf"))
    })
    .unwrap();
    assert!(ws.read(|c| evidence::checked_path(c, &folder, doc.id)).is_ok());
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_the_attachment_folder_is_replaced_never_followed() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    fs::create_dir_all(&folder).unwrap();
    let (_, act) = activity(&ws);
    let bytes = b"quarterly access list\n";
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, bytes).unwrap();
    let hash = evidence::sha256_hex(bytes);
    std::os::unix::fs::symlink(&outside, folder.join(&hash)).unwrap();

    let e = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), bytes, &input("list.txt")))
        .unwrap();
    let stored = folder.join(e.sha256.as_deref().unwrap());
    assert!(fs::symlink_metadata(&stored).unwrap().file_type().is_file(), "the link was replaced by the file");
    assert_eq!(fs::read(&outside).unwrap(), bytes, "the link's target was not written");
    assert!(ws.read(|c| evidence::checked_path(c, &folder, e.id)).is_ok());

    // Swap the stored file for a link to a file with the same content: it is not followed.
    fs::remove_file(&stored).unwrap();
    std::os::unix::fs::symlink(&outside, &stored).unwrap();
    let err = ws.read(|c| evidence::checked_path(c, &folder, e.id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::EvidenceMissing);
    assert_eq!(ws.read(|c| evidence::verify_all(c, &folder)).unwrap().len(), 1);
}

#[test]
fn a_stored_file_larger_than_recorded_is_altered_and_read_no_further() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let (_, act) = activity(&ws);
    let bytes = b"small evidence";
    let e = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), bytes, &input("e.txt")))
        .unwrap();
    let mut grown = bytes.to_vec();
    grown.extend(std::iter::repeat_n(b'x', 1 << 20));
    fs::write(folder.join(e.sha256.as_deref().unwrap()), &grown).unwrap();
    let err = ws.read(|c| evidence::checked_path(c, &folder, e.id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::EvidenceAltered);
}

#[test]
fn only_a_well_formed_hash_ever_becomes_a_path() {
    assert!(evidence::is_sha256_hex(&evidence::sha256_hex(b"x")));
    for bad in ["", "../../etc/passwd", &"A".repeat(64), &"a".repeat(63), &format!("{}/", "a".repeat(63))] {
        assert!(!evidence::is_sha256_hex(bad), "{bad}");
    }
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let (_, act) = activity(&ws);
    let e = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), b"abc", &input("a.txt")))
        .unwrap();
    // The database refuses a malformed hash on its own.
    let upper = e.sha256.as_deref().unwrap().to_uppercase();
    let err = ws
        .write(|tx, _| Ok(tx.execute("UPDATE evidence SET sha256 = ?1 WHERE id = ?2", rusqlite::params![upper, e.id])?))
        .unwrap_err();
    assert!(err.message.contains("64 lowercase hexadecimal"), "{}", err.message);
    // And the code refuses one that got in anyway (say, from an older file edited by hand).
    let traversal = format!("../../{}", "a".repeat(58));
    ws.write(|tx, _| {
        tx.execute_batch("DROP TRIGGER evidence_sha256_shape_update")?;
        tx.execute("UPDATE evidence SET sha256 = ?1 WHERE id = ?2", rusqlite::params![traversal, e.id])?;
        Ok(())
    })
    .unwrap();
    let err = ws.read(|c| evidence::checked_path(c, &folder, e.id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::EvidenceAltered);
    assert!(err.message.contains("malformed"), "{}", err.message);
    assert_eq!(ws.read(|c| evidence::verify_all(c, &folder)).unwrap().len(), 1);
}

#[test]
fn a_large_file_is_copied_from_its_path_with_progress_and_attached_without_a_size_limit() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let (_, act) = activity(&ws);
    // 60 MB: over the 50 MB that bytes in memory are held to.
    let source = dir.path().join("siem-export.bin");
    let content: Vec<u8> = (0..60 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect();
    fs::write(&source, &content).unwrap();
    let mut seen = Vec::new();
    let stored = evidence::store_path(&folder, &source, &mut |done, total| {
        seen.push((done, total));
        true
    })
    .unwrap();
    assert_eq!(stored.sha256, evidence::sha256_hex(&content));
    assert_eq!(stored.size, content.len() as u64);
    let total = 2 * content.len() as u64;
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress only moves forward");
    assert_eq!(seen.last(), Some(&(total, total)), "and ends at the total (hashing, then copying)");
    assert!(seen.len() > 10, "it is told as it goes: {}", seen.len());
    assert_eq!(fs::read(folder.join(&stored.sha256)).unwrap(), content);
    let leftovers: Vec<_> =
        fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(leftovers, std::slice::from_ref(&stored.sha256), "no part file left");

    let e = ws
        .write(|tx, now| {
            let content = evidence::Content::Stored(&stored);
            evidence::attach_content(
                tx,
                now,
                &folder,
                EvidenceTarget::Activity(act),
                content,
                &input("siem-export.bin"),
            )
        })
        .unwrap();
    assert_eq!((e.size, e.sha256.as_deref()), (content.len() as i64, Some(stored.sha256.as_str())));
    assert_eq!(ws.read(|c| evidence::checked_content(c, &folder, e.id)).unwrap(), content);
    // The same bytes held in memory are refused: those come through forms and files' rows.
    let err = ws
        .write(|tx, now| evidence::attach(tx, now, &folder, EvidenceTarget::Activity(act), &content, &input("big.bin")))
        .unwrap_err();
    assert_eq!(err.fields[0].field, "file_name");
}

#[test]
fn a_cancelled_copy_an_empty_file_and_a_missing_one_leave_nothing_behind() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let folder = ws.attachments_dir();
    let source = dir.path().join("export.csv");
    fs::write(&source, vec![b'x'; 3 * 1024 * 1024]).unwrap();
    // Cancelled while copying (past the hashing half).
    let err = evidence::store_path(&folder, &source, &mut |done, total| done < total * 3 / 4).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    let left = fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing kept in the attachment folder");
    // Cancelled while hashing.
    let err = evidence::store_path(&folder, &source, &mut |_, _| false).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, b"").unwrap();
    let err = evidence::store_path(&folder, &empty, &mut |_, _| true).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "file_name"));
    let err = evidence::store_path(&folder, &dir.path().join("gone.txt"), &mut |_, _| true).unwrap_err();
    assert_eq!(err.fields[0].field, "file_name");
    let err = evidence::store_path(&folder, dir.path(), &mut |_, _| true).unwrap_err();
    assert_eq!(err.fields[0].field, "file_name", "a folder is not a file");
    assert_eq!(fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0), 0);
}
