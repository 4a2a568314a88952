//! Risk scoring: a 5 x 5 likelihood x impact scale, score = L x I (1-25), banded by the
//! workspace's thresholds. The list, the heatmap, the report and the checks all rate risks
//! through this module, so they always agree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::BandThresholds;

/// Likelihood labels, index 0 = level 1.
pub const LIKELIHOOD_LABELS: [&str; 5] = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"];
/// Impact labels, index 0 = level 1.
pub const IMPACT_LABELS: [&str; 5] = ["Negligible", "Minor", "Moderate", "Major", "Severe"];

pub fn likelihood_label(level: u8) -> &'static str {
    LIKELIHOOD_LABELS.get(usize::from(level).wrapping_sub(1)).copied().unwrap_or("?")
}

pub fn impact_label(level: u8) -> &'static str {
    IMPACT_LABELS.get(usize::from(level).wrapping_sub(1)).copied().unwrap_or("?")
}

/// Reads a level from a number ("4") or its label ("likely", "Almost certain").
pub fn parse_level(text: &str, labels: &[&str; 5]) -> Option<u8> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u8>() {
        return (1..=5).contains(&n).then_some(n);
    }
    let key = t.to_ascii_lowercase().replace(['_', '-'], " ");
    labels.iter().position(|l| l.to_ascii_lowercase() == key).map(|i| i as u8 + 1)
}

string_enum!(
    Band {
        Low = "low" / "Low",
        Medium = "medium" / "Medium",
        High = "high" / "High",
        Critical = "critical" / "Critical",
    }
);

impl Band {
    /// The band a score falls in.
    pub fn of(score: u8, t: &BandThresholds) -> Band {
        if score >= t.critical_from {
            Band::Critical
        } else if score >= t.high_from {
            Band::High
        } else if score >= t.medium_from {
            Band::Medium
        } else {
            Band::Low
        }
    }

    /// The scores in this band, inclusive.
    pub fn range(self, t: &BandThresholds) -> (u8, u8) {
        match self {
            Band::Low => (1, t.medium_from - 1),
            Band::Medium => (t.medium_from, t.high_from - 1),
            Band::High => (t.high_from, t.critical_from - 1),
            Band::Critical => (t.critical_from, 25),
        }
    }

    /// Fill colour used by the app and the PDF (RGB). Light enough for dark text on top
    /// (contrast above 4.5:1) and distinct from each other in greyscale print.
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Band::Low => (0xb4, 0xe0, 0xc2),
            Band::Medium => (0xf6, 0xe2, 0x8f),
            Band::High => (0xf4, 0xb0, 0x7c),
            Band::Critical => (0xe8, 0x7f, 0x7f),
        }
    }

    /// The fill colour as CSS hex.
    pub fn hex(self) -> String {
        let (r, g, b) = self.rgb();
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// One rating: likelihood and impact (1-5 each), their product and its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Rating {
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub band: Band,
}

impl Rating {
    pub fn new(likelihood: u8, impact: u8, t: &BandThresholds) -> Rating {
        let score = likelihood * impact;
        Rating { likelihood, impact, score, band: Band::of(score, t) }
    }
}

/// Everything a screen needs to label and colour ratings the same way the core does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RiskScale {
    pub thresholds: BandThresholds,
    /// Index 0 = level 1.
    pub likelihood_labels: Vec<String>,
    pub impact_labels: Vec<String>,
    /// `bands[likelihood - 1][impact - 1]`.
    pub bands: Vec<Vec<Band>>,
    /// Fill colour of each band, CSS hex, in the order low, medium, high, critical.
    pub colors: Vec<String>,
}

impl RiskScale {
    pub fn new(t: BandThresholds) -> Self {
        Self {
            thresholds: t,
            likelihood_labels: LIKELIHOOD_LABELS.iter().map(|s| s.to_string()).collect(),
            impact_labels: IMPACT_LABELS.iter().map(|s| s.to_string()).collect(),
            bands: (1..=5u8).map(|l| (1..=5u8).map(|i| Band::of(l * i, &t)).collect()).collect(),
            colors: Band::ALL.iter().map(|b| b.hex()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bands_at_every_boundary() {
        let t = BandThresholds::default();
        let expect = [(1, Band::Low), (4, Band::Low), (5, Band::Medium), (9, Band::Medium), (10, Band::High)];
        for (score, band) in expect {
            assert_eq!(Band::of(score, &t), band, "score {score}");
        }
        for (score, band) in [(16, Band::High), (19, Band::High), (20, Band::Critical), (25, Band::Critical)] {
            assert_eq!(Band::of(score, &t), band, "score {score}");
        }
        // Every product on the 5 x 5 grid lands in the band the brief gives it.
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let s = l * i;
                let want = match s {
                    1..=4 => Band::Low,
                    5..=9 => Band::Medium,
                    10..=16 => Band::High,
                    _ => Band::Critical,
                };
                assert_eq!(Rating::new(l, i, &t).band, want, "{l} x {i}");
            }
        }
    }

    #[test]
    fn changed_thresholds_move_the_boundaries() {
        let t = BandThresholds { medium_from: 3, high_from: 8, critical_from: 15 };
        assert_eq!(Band::of(2, &t), Band::Low);
        assert_eq!(Band::of(3, &t), Band::Medium);
        assert_eq!(Band::of(7, &t), Band::Medium);
        assert_eq!(Band::of(8, &t), Band::High);
        assert_eq!(Band::of(14, &t), Band::High);
        assert_eq!(Band::of(15, &t), Band::Critical);
        assert_eq!(Band::High.range(&t), (8, 14));
        assert_eq!(RiskScale::new(t).bands[2][4], Band::Critical); // possible x severe = 15
    }

    #[test]
    fn thresholds_must_climb_within_the_scale() {
        assert!(BandThresholds::default().validate().is_ok());
        let err = BandThresholds { medium_from: 10, high_from: 10, critical_from: 26 }.validate().unwrap_err();
        let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["critical_from", "high_from"]);
        assert!(BandThresholds { medium_from: 1, high_from: 5, critical_from: 9 }.validate().is_err());
    }

    #[test]
    fn levels_parse_from_numbers_and_labels() {
        assert_eq!(parse_level("4", &LIKELIHOOD_LABELS), Some(4));
        assert_eq!(parse_level("almost certain", &LIKELIHOOD_LABELS), Some(5));
        assert_eq!(parse_level("Almost_Certain", &LIKELIHOOD_LABELS), Some(5));
        assert_eq!(parse_level("Severe", &IMPACT_LABELS), Some(5));
        assert_eq!(parse_level("6", &IMPACT_LABELS), None);
        assert_eq!(parse_level("0", &IMPACT_LABELS), None);
        assert_eq!(parse_level("huge", &IMPACT_LABELS), None);
        assert_eq!(likelihood_label(3), "Possible");
        assert_eq!(impact_label(0), "?");
    }
}
