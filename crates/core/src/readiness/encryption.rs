//! Check 11: Encryption at rest and in transit.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 11,
    key: "encryption",
    title: "Encryption at rest and in transit",
    criteria: &["CC6.1", "CC6.7"],
    run,
};

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    if systems.is_empty() {
        no_systems(c);
    }
    for s in systems.iter().filter(|s| s.customer_data) {
        c.require(s, s.enc, "holds customer data and is not encrypted at rest.", "Turn on encryption at rest.");
        c.require(s, s.tls, "holds customer data and does not use TLS in transit.", "Require TLS 1.2 or later.");
    }
    for s in systems {
        for (cname, on) in &s.certificates {
            // A certificate is good through its expiry day: that is the last day on time.
            let on = *on;
            c.plan(on, format!("Certificate {cname} on {} expires", s.name), sys_ref(s));
            if on < ctx.as_of {
                c.fail(
                    sys_ref(s),
                    format!("The certificate {cname} on {} expired on {on}.", s.name),
                    Some(on),
                    "Renew the certificate of {record} and update its expiry date.",
                );
            } else {
                let warn_from =
                    on.checked_sub_days(Days::new(u64::from(ctx.s.certificate_warn_days))).unwrap_or(NaiveDate::MIN);
                if ctx.as_of >= warn_from {
                    c.warn(
                        sys_ref(s),
                        format!("the certificate {cname} on {} expires on {on}", s.name),
                        on,
                        "Renew the certificate of {record} and update its expiry date.",
                    );
                }
                c.due(on.succ_opt().unwrap_or(on), format!("The certificate {cname} on {} expires on {on}", s.name));
            }
        }
    }
    c.ok_reason = "Customer data is encrypted at rest and in transit; no certificate is near expiry.".into();
    Ok(())
}
