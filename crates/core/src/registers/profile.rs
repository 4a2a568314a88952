//! The organization profile: who is being audited, for what scope, and when.

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::refs::Category;
use crate::validate::{parse_date, Validator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditType {
    /// Design of controls at one date.
    #[default]
    Type1,
    /// Operation of controls over an observation window.
    Type2,
}

impl AuditType {
    fn as_str(self) -> &'static str {
        match self {
            AuditType::Type1 => "type1",
            AuditType::Type2 => "type2",
        }
    }
}

/// The optional Trust Services categories; Security is always in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OptionalCategories {
    pub availability: bool,
    pub confidentiality: bool,
    pub processing_integrity: bool,
    pub privacy: bool,
}

impl OptionalCategories {
    /// Security first, then every optional category switched on.
    pub fn in_scope(self) -> Vec<Category> {
        let mut out = vec![Category::Security];
        for (on, cat) in [
            (self.availability, Category::Availability),
            (self.confidentiality, Category::Confidentiality),
            (self.processing_integrity, Category::ProcessingIntegrity),
            (self.privacy, Category::Privacy),
        ] {
            if on {
                out.push(cat);
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Profile {
    pub name: String,
    pub system_description: String,
    pub categories: OptionalCategories,
    pub audit_type: AuditType,
    pub window_start: Option<NaiveDate>,
    pub window_end: Option<NaiveDate>,
    pub auditor: String,
    pub target_report_date: Option<NaiveDate>,
    pub updated_at: String,
}

/// What the profile form sends. Dates are strings so that a bad one can be reported
/// next to its field instead of failing the whole request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProfileInput {
    pub name: String,
    pub system_description: String,
    pub categories: OptionalCategories,
    pub audit_type: AuditType,
    pub window_start: String,
    pub window_end: String,
    pub auditor: String,
    pub target_report_date: String,
}

/// The profile, or `None` before the user has saved one.
pub fn get(conn: &Connection) -> Result<Option<Profile>> {
    let row = conn
        .query_row(
            "SELECT name, system_description, scope_availability, scope_confidentiality,
                    scope_processing_integrity, scope_privacy, audit_type, window_start, window_end,
                    auditor, target_report_date, updated_at
             FROM organization_profile WHERE id = 1",
            [],
            |r| {
                Ok(Profile {
                    name: r.get(0)?,
                    system_description: r.get(1)?,
                    categories: OptionalCategories {
                        availability: r.get(2)?,
                        confidentiality: r.get(3)?,
                        processing_integrity: r.get(4)?,
                        privacy: r.get(5)?,
                    },
                    audit_type: if r.get::<_, String>(6)? == "type2" { AuditType::Type2 } else { AuditType::Type1 },
                    window_start: r.get::<_, Option<String>>(7)?.as_deref().and_then(parse_date),
                    window_end: r.get::<_, Option<String>>(8)?.as_deref().and_then(parse_date),
                    auditor: r.get(9)?,
                    target_report_date: r.get::<_, Option<String>>(10)?.as_deref().and_then(parse_date),
                    updated_at: r.get(11)?,
                })
            },
        )
        .optional()?;
    Ok(row)
}

/// The categories in scope (Security alone until a profile says otherwise).
pub fn categories_in_scope(conn: &Connection) -> Result<Vec<Category>> {
    Ok(get(conn)?.map(|p| p.categories).unwrap_or_default().in_scope())
}

/// Validated, normalised profile values ready to store.
struct Valid {
    name: String,
    system_description: String,
    window_start: Option<NaiveDate>,
    window_end: Option<NaiveDate>,
    auditor: String,
    target_report_date: Option<NaiveDate>,
}

fn validate(input: &ProfileInput) -> Result<Valid> {
    let mut v = Validator::new();
    let name = v.required("name", "Organization name", &input.name, 200);
    let system_description = v.optional("system_description", "System description", &input.system_description, 20_000);
    let auditor = v.optional("auditor", "Auditor", &input.auditor, 200);
    let target_report_date = v.date("target_report_date", "Target report date", &input.target_report_date);
    let (window_start, window_end) = match input.audit_type {
        AuditType::Type2 => (
            v.required_date("window_start", "Observation window start", &input.window_start),
            v.required_date("window_end", "Observation window end", &input.window_end),
        ),
        AuditType::Type1 => (
            v.date("window_start", "Observation window start", &input.window_start),
            v.date("window_end", "Observation window end", &input.window_end),
        ),
    };
    match (window_start, window_end) {
        (Some(start), Some(end)) if end <= start => {
            v.add("window_end", "The observation window must end after it starts.");
        }
        (Some(start), Some(end)) if start.checked_add_months(Months::new(12)).is_some_and(|limit| end > limit) => {
            v.add("window_end", "An observation window lasts at most 12 months.");
        }
        (Some(_), None) if !v.has("window_end") => v.add("window_end", "Give the end of the window as well."),
        (None, Some(_)) if !v.has("window_start") => v.add("window_start", "Give the start of the window as well."),
        _ => {}
    }
    v.finish()?;
    Ok(Valid { name, system_description, window_start, window_end, auditor, target_report_date })
}

pub fn save(tx: &Transaction<'_>, now: chrono::DateTime<chrono::Utc>, input: &ProfileInput) -> Result<Profile> {
    let valid = validate(input)?;
    let c = input.categories;
    tx.execute(
        "INSERT INTO organization_profile (id, name, system_description, scope_availability, scope_confidentiality,
             scope_processing_integrity, scope_privacy, audit_type, window_start, window_end, auditor,
             target_report_date, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET
             name = excluded.name, system_description = excluded.system_description,
             scope_availability = excluded.scope_availability, scope_confidentiality = excluded.scope_confidentiality,
             scope_processing_integrity = excluded.scope_processing_integrity, scope_privacy = excluded.scope_privacy,
             audit_type = excluded.audit_type, window_start = excluded.window_start, window_end = excluded.window_end,
             auditor = excluded.auditor, target_report_date = excluded.target_report_date, updated_at = excluded.updated_at",
        rusqlite::params![
            valid.name,
            valid.system_description,
            c.availability,
            c.confidentiality,
            c.processing_integrity,
            c.privacy,
            input.audit_type.as_str(),
            valid.window_start.map(|d| d.to_string()),
            valid.window_end.map(|d| d.to_string()),
            valid.auditor,
            valid.target_report_date.map(|d| d.to_string()),
            stamp(now),
        ],
    )?;
    get(tx)?
        .ok_or_else(|| crate::Error::internal("profile row missing right after it was written in the same transaction"))
}

impl From<&Profile> for ProfileInput {
    fn from(p: &Profile) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            name: p.name.clone(),
            system_description: p.system_description.clone(),
            categories: p.categories,
            audit_type: p.audit_type,
            window_start: date(p.window_start),
            window_end: date(p.window_end),
            auditor: p.auditor.clone(),
            target_report_date: date(p.target_report_date),
        }
    }
}

/// The keys a profile file may hold (besides `updated_at`, which `profile --json` prints and
/// a file read back ignores).
const PROFILE_KEYS: &str =
    "name, system_description, audit_type, window_start, window_end, auditor, target_report_date and categories";

/// A profile file as JSON values: TOML (dates may be TOML dates or text), or the JSON that
/// `readyroom profile --json` prints. A file that cannot be read is reported on `file`.
fn profile_file_values(text: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    let unreadable = |why: String| Error::field("file", why);
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|e| unreadable(format!("Not valid JSON (line {}, column {}): {e}", e.line(), e.column())));
    }
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let message = e.message().to_owned();
        unreadable(match at {
            Some(line) => format!("Not valid TOML (line {line}): {message}"),
            None => format!("Not valid TOML: {message}"),
        })
    })?;
    fn json(v: toml::Value) -> serde_json::Value {
        match v {
            toml::Value::String(s) => s.into(),
            toml::Value::Integer(i) => i.into(),
            toml::Value::Float(f) => serde_json::Number::from_f64(f).map(Into::into).unwrap_or(serde_json::Value::Null),
            toml::Value::Boolean(b) => b.into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(a) => a.into_iter().map(json).collect::<Vec<_>>().into(),
            toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, json(v))).collect::<serde_json::Map<_, _>>().into(),
        }
    }
    Ok(table.into_iter().map(|(k, v)| (k, json(v))).collect())
}

/// Reads a profile file (TOML, or the JSON `readyroom profile --json` prints) into what
/// [`save`] takes. A key the file leaves out keeps its value in `current`; an unknown key or a
/// value of the wrong kind is reported on its field, all at once. `save` then validates the
/// values themselves (dates, the window) as it does for the form.
pub fn input_from_file(text: &str, current: Option<&Profile>) -> Result<ProfileInput> {
    let values = profile_file_values(text)?;
    let mut input = current.map(ProfileInput::from).unwrap_or_default();
    let mut v = Validator::new();
    let text_of = |v: &mut Validator, key: &str, value: &serde_json::Value, into: &mut String| match value {
        serde_json::Value::String(s) => *into = s.clone(),
        serde_json::Value::Null => into.clear(),
        _ => v.add(key, format!("{key} must be text.")),
    };
    for (key, value) in &values {
        match key.as_str() {
            "name" => text_of(&mut v, key, value, &mut input.name),
            "system_description" => text_of(&mut v, key, value, &mut input.system_description),
            "auditor" => text_of(&mut v, key, value, &mut input.auditor),
            "window_start" => text_of(&mut v, key, value, &mut input.window_start),
            "window_end" => text_of(&mut v, key, value, &mut input.window_end),
            "target_report_date" => text_of(&mut v, key, value, &mut input.target_report_date),
            "audit_type" => match value.as_str() {
                Some("type1") => input.audit_type = AuditType::Type1,
                Some("type2") => input.audit_type = AuditType::Type2,
                _ => v.add(key, "audit_type must be \"type1\" or \"type2\"."),
            },
            "categories" => match value.as_object() {
                Some(cats) => {
                    for (cat, on) in cats {
                        let field = format!("categories.{cat}");
                        let Some(on) = on.as_bool() else {
                            v.add(&field, format!("{field} must be true or false."));
                            continue;
                        };
                        match cat.as_str() {
                            "security" if on => {}
                            "security" => v.add(&field, "Security is always in scope; leave it out or set it to true."),
                            "availability" => input.categories.availability = on,
                            "confidentiality" => input.categories.confidentiality = on,
                            "processing_integrity" => input.categories.processing_integrity = on,
                            "privacy" => input.categories.privacy = on,
                            _ => v.add(&field, format!("Unknown category {cat}: use availability, confidentiality, processing_integrity or privacy.")),
                        }
                    }
                }
                None => v.add(key, "categories must be a table of true/false values (e.g. availability = true)."),
            },
            "updated_at" => {}
            _ => v.add(key, format!("Unknown field {key}: a profile has {PROFILE_KEYS}.")),
        }
    }
    v.finish()?;
    Ok(input)
}
