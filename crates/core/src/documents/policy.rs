//! A policy version printed to PDF: a cover with what an auditor looks for first (the
//! version, its status, owner and approval, with a sign-off block), then the text.

use rusqlite::Connection;

use super::pdf::{or_dash, render, Block, DocInfo, Paper};
use crate::error::Result;
use crate::{policies, policy_text};

/// `version` of policy `id` (by default its working version) as a PDF. `today` dates a draft.
pub fn policy_pdf(
    conn: &Connection,
    id: i64,
    version: Option<&str>,
    organisation: &str,
    paper: Paper,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    let detail = policies::detail(conn, id)?;
    let p = &detail.policy;
    let text = policy_text::get(conn, id, version)?;
    let approval = detail.approvals.iter().find(|a| a.version == text.version);
    let status = match approval {
        Some(a) => format!("Approved on {} by {}", a.approved_on, a.approver.name),
        None if text.version == p.version => format!("{} (not approved)", p.status.label()),
        None => "Not approved".into(),
    };
    let mut blocks = vec![
        Block::Title(p.title.clone()),
        Block::Subtitle(organisation.to_owned()),
        Block::KeyValues(vec![
            ("Version".into(), text.version.clone()),
            ("Status".into(), status),
            ("Owner".into(), or_dash(p.owner.as_ref().map(|o| &o.name))),
            ("Next review due".into(), or_dash(approval.map(|a| &a.next_review_due))),
            ("Length".into(), super::count(text.words, "word", "words")),
        ]),
        Block::Heading("Approval".into()),
        Block::table(
            &["", "Name", "Date", "Signature"],
            &[0.2, 0.35, 0.2, 0.25],
            vec![
                vec![
                    "Approved by".into(),
                    approval.map(|a| a.approver.name.clone()).unwrap_or_default(),
                    approval.map(|a| a.approved_on.to_string()).unwrap_or_default(),
                    String::new(),
                ],
                vec!["Reviewed by".into(), String::new(), String::new(), String::new()],
            ],
        ),
        Block::PageBreak,
    ];
    if text.body.trim().is_empty() {
        blocks.push(Block::Paragraph(format!("Version {} has no text yet.", text.version)));
    } else {
        blocks.extend(
            markdown_blocks(&text.body)
                .into_iter()
                .skip_while(|b| matches!(b, Block::Title(t) if t.eq_ignore_ascii_case(&p.title))),
        );
    }
    let info = DocInfo {
        title: p.title.clone(),
        author: organisation.to_owned(),
        subject: format!("{} version {}", p.title, text.version),
        date: approval.map_or(today, |a| a.approved_on),
    };
    render(&info, paper, &format!("{organisation} · {} · version {} · Confidential", p.title, text.version), &blocks)
}

/// The blocks a policy's Markdown reads as: `#` a title, `##` a heading, `###` a subheading,
/// `-`/`*` items a bulleted list, `1.` items a numbered one, other lines paragraphs (a blank
/// line ends one). Emphasis marks are dropped; the words stay.
pub fn markdown_blocks(text: &str) -> Vec<Block> {
    enum Open {
        None,
        Para(Vec<String>),
        Bullets(Vec<String>),
        Numbered(Vec<String>),
    }
    fn close(open: &mut Open, out: &mut Vec<Block>) {
        match std::mem::replace(open, Open::None) {
            Open::None => {}
            Open::Para(lines) => out.push(Block::Paragraph(lines.join(" "))),
            Open::Bullets(items) => out.push(Block::Bullets(items)),
            Open::Numbered(items) => out.push(Block::Numbered(items)),
        }
    }
    let plain = |s: &str| s.replace("**", "").replace("__", "").replace('`', "");
    let mut out = Vec::new();
    let mut open = Open::None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let t = line.trim_start();
        let numbered = t.split_once(". ").filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if t.is_empty() {
            close(&mut open, &mut out);
        } else if let Some(h) = t.strip_prefix("### ") {
            close(&mut open, &mut out);
            out.push(Block::Subheading(plain(h.trim())));
        } else if let Some(h) = t.strip_prefix("## ") {
            close(&mut open, &mut out);
            out.push(Block::Heading(plain(h.trim())));
        } else if let Some(h) = t.strip_prefix("# ") {
            close(&mut open, &mut out);
            out.push(Block::Title(plain(h.trim())));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            if !matches!(open, Open::Bullets(_)) {
                close(&mut open, &mut out);
                open = Open::Bullets(Vec::new());
            }
            if let Open::Bullets(items) = &mut open {
                items.push(plain(item.trim()));
            }
        } else if let Some((_, item)) = numbered {
            if !matches!(open, Open::Numbered(_)) {
                close(&mut open, &mut out);
                open = Open::Numbered(Vec::new());
            }
            if let Open::Numbered(items) = &mut open {
                items.push(plain(item.trim()));
            }
        } else {
            // A line indented under a list item continues it; any other line, the paragraph.
            match &mut open {
                Open::Bullets(items) | Open::Numbered(items) if line.starts_with(' ') => {
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(&plain(t));
                    }
                }
                Open::Para(lines) => lines.push(plain(t)),
                _ => {
                    close(&mut open, &mut out);
                    open = Open::Para(vec![plain(t)]);
                }
            }
        }
    }
    close(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_reads_as_headings_lists_and_paragraphs() {
        let md = "# Access Control Policy\n\n## Purpose\nAccess is **granted** on need.\nIt is reviewed.\n\n### Reviews\n- quarterly\n- with the `user list`\n  exported from the system\n1. Request\n2. Approve\n\nLast words.";
        assert_eq!(
            markdown_blocks(md),
            vec![
                Block::Title("Access Control Policy".into()),
                Block::Heading("Purpose".into()),
                Block::Paragraph("Access is granted on need. It is reviewed.".into()),
                Block::Subheading("Reviews".into()),
                Block::Bullets(vec!["quarterly".into(), "with the user list exported from the system".into()]),
                Block::Numbered(vec!["Request".into(), "Approve".into()]),
                Block::Paragraph("Last words.".into()),
            ]
        );
    }
}
