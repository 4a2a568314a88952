//! Tabletop exercise scripts: a documented TOML format (docs/tabletop-format.md), its
//! validation with line-numbered errors, and the built-in library.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod exercises;

/// The format identifier every script starts with.
pub const FORMAT: &str = "readyroom-tabletop/1";

string_enum!(
    RoleKind {
        Facilitator = "facilitator" / "Facilitator",
        Player = "player" / "Player",
        Scribe = "scribe" / "Scribe",
        Observer = "observer" / "Observer",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Objective {
    pub text: String,
    #[serde(default)]
    pub criteria: Vec<String>,
    #[serde(default)]
    pub ir_plan_sections: Vec<String>,
    /// What shows, in the room, that the objective was met.
    #[serde(default)]
    pub evaluation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ScriptRole {
    pub role: RoleKind,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Who usually plays it, as one of the workspace's roles (`engineering_lead`, `ceo`, …):
    /// planning an exercise casts the person mapped to that role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub played_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Inject {
    pub at_minutes: u32,
    #[serde(default)]
    pub module: String,
    pub title: String,
    pub facts: String,
    #[serde(default)]
    pub targets: Vec<String>,
    pub questions: Vec<String>,
    pub expected_actions: Vec<String>,
    #[serde(default)]
    pub facilitator_notes: String,
}

/// A parsed, valid script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Script {
    pub format: String,
    pub title: String,
    pub scenario: String,
    pub summary: String,
    pub duration_minutes: u32,
    #[serde(default)]
    pub ground_rules: Vec<String>,
    /// What the scenario takes for granted.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// What is artificial in the room and not to be argued about (time compressed, …).
    #[serde(default)]
    pub artificialities: Vec<String>,
    pub objectives: Vec<Objective>,
    pub roles: Vec<ScriptRole>,
    pub injects: Vec<Inject>,
    pub hot_wash: Vec<String>,
}

/// One problem in a script: the field it is about (a path such as `title`, `objectives.0.text`
/// or `injects.2.questions`; the list itself, e.g. `injects`, when the problem is that it is
/// empty) and, when it was read from a file, the line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScriptProblem {
    pub line: Option<u32>,
    pub field: Option<String>,
    pub message: String,
}

// The same shapes with source spans, to point semantic problems at their lines. Unknown keys
// are errors (with their line): a misspelt key must not silently drop what it holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    format: toml::Spanned<String>,
    title: toml::Spanned<String>,
    scenario: toml::Spanned<String>,
    summary: toml::Spanned<String>,
    duration_minutes: toml::Spanned<u32>,
    #[serde(default)]
    ground_rules: Vec<String>,
    #[serde(default)]
    assumptions: Vec<String>,
    #[serde(default)]
    artificialities: Vec<String>,
    objectives: Vec<toml::Spanned<Objective>>,
    roles: Vec<toml::Spanned<ScriptRole>>,
    injects: Vec<toml::Spanned<Inject>>,
    hot_wash: toml::Spanned<Vec<String>>,
}

fn line_of(source: &str, offset: usize) -> u32 {
    source.get(..offset).map_or(0, |s| s.matches('\n').count()) as u32 + 1
}

/// Whether `id` looks like a Trust Services Criteria ID (CC1.1, A1.2, C1.1, PI1.3, P8.1).
fn is_criterion_id(id: &str) -> bool {
    let Some((series, n)) = id.split_once('.') else { return false };
    let prefix: String = series.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let digits = &series[prefix.len()..];
    ["CC", "A", "C", "PI", "P"].contains(&prefix.as_str())
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
}

/// The most injects a script may have.
pub const MAX_INJECTS: usize = 30;

/// Every problem of a script, each with the field it is about, in the order of the fields. The
/// one set of rules: a file read from TOML and a script built in the editor are checked by it.
pub fn validate(s: &Script) -> Vec<ScriptProblem> {
    let mut problems = Vec::new();
    let mut add =
        |field: String, message: String| problems.push(ScriptProblem { line: None, field: Some(field), message });
    if s.format != FORMAT {
        add("format".into(), format!("format must be \"{FORMAT}\" (this file says {:?}).", s.format));
    }
    for (field, value) in [("title", &s.title), ("scenario", &s.scenario), ("summary", &s.summary)] {
        if value.trim().is_empty() {
            add(field.into(), format!("The {field} must not be empty."));
        }
    }
    if s.title.chars().count() > 200 {
        add("title".into(), "title must be at most 200 characters.".into());
    }
    if s.objectives.is_empty() {
        add("objectives".into(), "A script needs at least one [[objectives]] entry.".into());
    }
    for (i, o) in s.objectives.iter().enumerate() {
        if o.text.trim().is_empty() {
            add(format!("objectives.{i}.text"), "An objective needs its text.".into());
        }
        let mut seen = std::collections::HashSet::new();
        for c in &o.criteria {
            if !is_criterion_id(c) {
                add(format!("objectives.{i}.criteria"), format!("{c:?} is not a criterion ID (like CC7.4 or A1.2)."));
            } else if !seen.insert(c.as_str()) {
                add(format!("objectives.{i}.criteria"), format!("{c} is listed twice."));
            }
        }
    }
    if !s.roles.iter().any(|r| r.role == RoleKind::Facilitator) {
        add("roles".into(), "A script needs a role with role = \"facilitator\".".into());
    }
    let mut names = std::collections::HashSet::new();
    for (i, r) in s.roles.iter().enumerate() {
        let name = r.name.trim();
        if name.is_empty() {
            add(format!("roles.{i}.name"), "A role needs a name.".into());
        } else if !names.insert(name.to_lowercase()) {
            add(format!("roles.{i}.name"), format!("The role {name:?} is declared twice."));
        }
        if let Some(key) = &r.played_by {
            if !crate::starter::policy_texts::ROLES.iter().any(|(k, _)| k == key) {
                let keys: Vec<&str> = crate::starter::policy_texts::ROLES.iter().map(|(k, _)| *k).collect();
                add(
                    format!("roles.{i}.played_by"),
                    format!("played_by {key:?} is not a role; use one of {}.", keys.join(", ")),
                );
            }
        }
    }
    if s.injects.is_empty() {
        add("injects".into(), "A script needs at least one [[injects]] entry.".into());
    }
    if s.injects.len() > MAX_INJECTS {
        add(format!("injects.{MAX_INJECTS}"), format!("A script has at most {MAX_INJECTS} injects."));
    }
    let mut last = 0;
    for (i, x) in s.injects.iter().enumerate() {
        let n = i + 1;
        let at = |field: &str| format!("injects.{i}.{field}");
        // "Inject 3 (The ransom demand)", or "Inject 3" while it has no title.
        let name = match x.title.trim() {
            "" => format!("Inject {n}"),
            title => format!("Inject {n} ({title})"),
        };
        if x.title.trim().is_empty() {
            add(at("title"), format!("Inject {n} needs a title."));
        }
        if x.facts.trim().is_empty() {
            add(at("facts"), format!("{name} needs the facts it reveals."));
        }
        if x.questions.iter().filter(|q| !q.trim().is_empty()).count() == 0 {
            add(at("questions"), format!("{name} needs at least one discussion question."));
        }
        if x.expected_actions.iter().filter(|q| !q.trim().is_empty()).count() == 0 {
            add(at("expected_actions"), format!("{name} needs at least one expected action."));
        }
        if x.at_minutes < last {
            add(at("at_minutes"), format!("{name} starts at minute {} before the one above it.", x.at_minutes));
        }
        last = x.at_minutes;
        let mut aimed = std::collections::HashSet::new();
        for t in &x.targets {
            let key = t.trim().to_lowercase();
            if !names.contains(&key) {
                add(at("targets"), format!("{name} targets {t:?}, which is not one of the roles."));
            } else if !aimed.insert(key) {
                add(at("targets"), format!("{name} targets {t:?} twice."));
            }
        }
    }
    if s.duration_minutes < last {
        add("duration_minutes".into(), format!("duration_minutes is shorter than the last inject's start ({last})."));
    }
    if s.hot_wash.iter().all(|q| q.trim().is_empty()) {
        add("hot_wash".into(), "hot_wash needs at least one debrief question.".into());
    }
    problems
}

/// Reads a script file: the script it holds and the problems [`validate`] finds, each with its
/// line. A file that is not TOML, or not in the shape of a script (a missing or unknown key, a
/// word where a number belongs), is an error with the line where reading stopped.
pub fn read(source: &str) -> Result<(Script, Vec<ScriptProblem>), Vec<ScriptProblem>> {
    let raw: RawScript = match toml::from_str(source) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| line_of(source, s.start));
            let message = e.message().trim().to_owned();
            let message = if message.is_empty() { e.to_string() } else { message };
            return Err(vec![ScriptProblem { line, field: None, message: format!("Not a valid script: {message}") }]);
        }
    };
    // Where each field is in the file: a problem in an objective, role or inject points at
    // its table; one about a list that is empty, at the top.
    let objectives = raw.objectives.iter().map(toml::Spanned::span).collect::<Vec<_>>();
    let roles = raw.roles.iter().map(toml::Spanned::span).collect::<Vec<_>>();
    let injects = raw.injects.iter().map(toml::Spanned::span).collect::<Vec<_>>();
    let top = [
        ("format", raw.format.span()),
        ("title", raw.title.span()),
        ("scenario", raw.scenario.span()),
        ("summary", raw.summary.span()),
        ("duration_minutes", raw.duration_minutes.span()),
        ("hot_wash", raw.hot_wash.span()),
    ];
    let span_of = |field: &str| -> usize {
        let mut parts = field.split('.');
        let head = parts.next().unwrap_or_default();
        let index = parts.next().and_then(|i| i.parse::<usize>().ok());
        let list = match head {
            "objectives" => &objectives,
            "roles" => &roles,
            "injects" => &injects,
            _ => return top.iter().find(|(k, _)| *k == head).map_or(0, |(_, s)| s.start),
        };
        index.and_then(|i| list.get(i)).map_or(0, |s| s.start)
    };
    let script = Script {
        format: raw.format.into_inner(),
        title: raw.title.into_inner(),
        scenario: raw.scenario.into_inner(),
        summary: raw.summary.into_inner(),
        duration_minutes: raw.duration_minutes.into_inner(),
        ground_rules: raw.ground_rules,
        assumptions: raw.assumptions,
        artificialities: raw.artificialities,
        objectives: raw.objectives.into_iter().map(toml::Spanned::into_inner).collect(),
        roles: raw.roles.into_iter().map(toml::Spanned::into_inner).collect(),
        injects: raw.injects.into_iter().map(toml::Spanned::into_inner).collect(),
        hot_wash: raw.hot_wash.into_inner(),
    };
    let mut problems = validate(&script);
    for p in &mut problems {
        p.line = Some(line_of(source, p.field.as_deref().map_or(0, span_of)));
    }
    problems.sort_by_key(|p| p.line);
    Ok((script, problems))
}

/// Parses and validates a script. Every problem found is returned, each with its line.
pub fn parse(source: &str) -> Result<Script, Vec<ScriptProblem>> {
    match read(source)? {
        (script, problems) if problems.is_empty() => Ok(script),
        (_, problems) => Err(problems),
    }
}

/// Writes a script back as TOML in the documented format (what export and "duplicate" use).
pub fn to_toml(script: &Script) -> crate::Result<String> {
    toml::to_string_pretty(script)
        .map_err(|e| crate::Error::internal(format!("a parsed script always serialises: {e}")))
}

/// A built-in script: a stable key and its TOML source.
pub struct BuiltIn {
    pub key: &'static str,
    pub source: &'static str,
}

pub static BUILT_INS: &[BuiltIn] = &[
    BuiltIn { key: "ransomware", source: include_str!("scripts/ransomware.toml") },
    BuiltIn { key: "bec-invoice-fraud", source: include_str!("scripts/bec-invoice-fraud.toml") },
    BuiltIn { key: "lost-laptop", source: include_str!("scripts/lost-laptop.toml") },
    BuiltIn { key: "leaked-cloud-key", source: include_str!("scripts/leaked-cloud-key.toml") },
    BuiltIn { key: "vendor-breach", source: include_str!("scripts/vendor-breach.toml") },
    BuiltIn { key: "departing-employee", source: include_str!("scripts/departing-employee.toml") },
    BuiltIn { key: "ddos-outage", source: include_str!("scripts/ddos-outage.toml") },
    BuiltIn { key: "public-bucket", source: include_str!("scripts/public-bucket.toml") },
    BuiltIn { key: "dependency-compromise", source: include_str!("scripts/dependency-compromise.toml") },
    BuiltIn { key: "mfa-fatigue", source: include_str!("scripts/mfa-fatigue.toml") },
    BuiltIn { key: "backup-restore-fails", source: include_str!("scripts/backup-restore-fails.toml") },
    BuiltIn { key: "cross-tenant-exposure", source: include_str!("scripts/cross-tenant-exposure.toml") },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_script_is_valid_and_sized_for_a_session() {
        assert!(BUILT_INS.len() >= 12);
        let mut scenarios = std::collections::HashSet::new();
        for b in BUILT_INS {
            let s = parse(b.source).unwrap_or_else(|p| panic!("{}: {p:?}", b.key));
            assert!(scenarios.insert(s.scenario.clone()), "{} repeats scenario {}", b.key, s.scenario);
            assert!((5..=8).contains(&s.injects.len()), "{} has {} injects", b.key, s.injects.len());
            for i in &s.injects {
                assert!(
                    (2..=4).contains(&i.questions.len()),
                    "{} / {}: {} questions",
                    b.key,
                    i.title,
                    i.questions.len()
                );
                assert!(!i.expected_actions.is_empty(), "{} / {}", b.key, i.title);
            }
            // Round trip through our writer.
            let again = parse(&to_toml(&s).unwrap()).unwrap_or_else(|p| panic!("{} round trip: {p:?}", b.key));
            assert_eq!(again, s, "{}", b.key);
        }
    }

    #[test]
    fn every_built_in_script_briefs_the_facilitator_and_leaves_time_to_debrief() {
        for b in BUILT_INS {
            let s = parse(b.source).unwrap_or_else(|p| panic!("{}: {p:?}", b.key));
            let last = s.injects.last().map_or(0, |i| i.at_minutes);
            assert!(
                s.duration_minutes >= last + 20,
                "{}: {} minutes after the last inject",
                b.key,
                s.duration_minutes - last
            );
            assert!(
                s.injects.iter().all(|i| i.facilitator_notes.split_whitespace().count() >= 15),
                "{}: notes on every inject",
                b.key
            );
            assert!(
                !s.assumptions.is_empty() && !s.artificialities.is_empty(),
                "{}: assumptions and artificialities",
                b.key
            );
            assert!(s.objectives.iter().all(|o| !o.evaluation.is_empty()), "{}: how each objective is judged", b.key);
            // Breach notification is P6.3 (a record of disclosures) and P6.6 (telling those
            // affected), never P6.1 (consent to disclose).
            assert!(s.objectives.iter().all(|o| !o.criteria.iter().any(|c| c == "P6.1")), "{}: P6.1", b.key);
        }
        let fraud = BUILT_INS.iter().find(|b| b.key == "bec-invoice-fraud").map(|b| parse(b.source).unwrap()).unwrap();
        let criteria: Vec<&str> = fraud.objectives.iter().flat_map(|o| o.criteria.iter().map(String::as_str)).collect();
        assert!(criteria.contains(&"CC5.1") && !criteria.contains(&"CC5.2"), "{criteria:?}");
        let mfa = BUILT_INS.iter().find(|b| b.key == "mfa-fatigue").map(|b| parse(b.source).unwrap()).unwrap();
        let text = to_toml(&mfa).unwrap().to_lowercase();
        for topic in ["legal", "third-party app", "forwarding", "support", "keeping evidence"] {
            assert!(text.contains(topic), "mfa-fatigue covers {topic}");
        }
    }

    #[test]
    fn broken_files_report_the_line() {
        let good = BUILT_INS[0].source;
        // A TOML syntax error: the line is where the parser stopped.
        let broken = good.replacen("duration_minutes = 90", "duration_minutes = ninety", 1);
        let p = parse(&broken).unwrap_err();
        assert_eq!(p.len(), 1);
        let expected = good.lines().position(|l| l.starts_with("duration_minutes")).unwrap() as u32 + 1;
        assert_eq!(p[0].line, Some(expected), "{p:?}");
        // A semantic problem in the third inject points at that inject.
        let mut s = parse(good).unwrap();
        s.injects[2].questions.clear();
        s.injects[2].targets.push("Janitor".into());
        let text = to_toml(&s).unwrap();
        let p = parse(&text).unwrap_err();
        let inject_line = text.match_indices("[[injects]]").nth(2).map(|(at, _)| line_of(&text, at)).unwrap();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|x| x.line.is_some_and(|l| l >= inject_line)), "{p:?} vs {inject_line}");
        assert!(p.iter().any(|x| x.message.contains("needs at least one discussion question")));
        assert!(p.iter().any(|x| x.message.contains("\"Janitor\", which is not one of the roles")));
        // Wrong format and a bad criterion.
        let p = parse(&good.replacen("readyroom-tabletop/1", "other/9", 1).replacen("\"CC7.3\"", "\"CC77\"", 1))
            .unwrap_err();
        assert_eq!(p[0].line, Some(1));
        assert!(p.iter().any(|x| x.message.contains("\"CC77\" is not a criterion ID")));
        assert!(parse("not toml at all = = =").is_err());
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let good = BUILT_INS[0].source;
        // A misspelt top-level key, and a misspelt key inside the second inject.
        let top = good.replacen("duration_minutes = ", "duration_minute = ", 1);
        let p = parse(&top).unwrap_err();
        let expected = good.lines().position(|l| l.starts_with("duration_minutes")).unwrap() as u32 + 1;
        assert_eq!(p[0].line, Some(expected), "{p:?}");
        assert!(p[0].message.contains("duration_minute"), "{p:?}");
        let second = good.match_indices("[[injects]]").nth(1).map(|(at, _)| at).unwrap();
        let (head, tail) = good.split_at(second);
        let misspelt = format!("{head}{}", tail.replacen("facilitator_notes", "facilitator_note", 1));
        if misspelt != good {
            let p = parse(&misspelt).unwrap_err();
            assert!(p[0].message.contains("facilitator_note"), "{p:?}");
            assert!(p[0].line.is_some_and(|l| l > line_of(good, second)), "{p:?}");
        }
        let extra = good.replacen("[[injects]]", "[[injects]]\nsecret = \"kept nowhere\"", 1);
        let p = parse(&extra).unwrap_err();
        assert!(p[0].message.contains("secret"), "{p:?}");
        assert!(p[0].line.is_some(), "{p:?}");
    }

    #[test]
    fn criterion_ids() {
        for ok in ["CC1.1", "A1.2", "C1.1", "PI1.5", "P8.1", "CC10.3"] {
            assert!(is_criterion_id(ok), "{ok}");
        }
        for bad in ["CC", "CC7", "X1.1", "cc7.1", "CC7.", ".1"] {
            assert!(!is_criterion_id(bad), "{bad}");
        }
    }
}
