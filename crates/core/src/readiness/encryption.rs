//! Check 11: Encryption at rest and in transit.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 11,
    key: "encryption",
    title: "Encryption at rest and in transit",
    criteria: &["CC6.1", "CC6.7"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    if systems.is_empty() {
        no_systems(c);
    }
    for s in systems.iter().filter(|s| s.customer_data) {
        if !s.enc {
            c.fail(
                sys_ref(s),
                format!("{} holds customer data and is not encrypted at rest.", s.name),
                None,
                "Turn on encryption at rest.",
            );
        }
        if !s.tls {
            c.fail(
                sys_ref(s),
                format!("{} holds customer data and does not use TLS in transit.", s.name),
                None,
                "Require TLS 1.2 or later.",
            );
        }
    }
    let certs = conn
        .prepare_cached(
            "SELECT s.id, s.name, c.name, c.expires_on FROM system_certificates c JOIN systems s ON s.id = c.system_id
             WHERE s.archived_at IS NULL AND s.in_scope = 1 ORDER BY c.expires_on",
        )?
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (sid, sname, cname, on) in certs {
        let Some(on) = crate::validate::parse_date(&on) else { continue };
        let r = RecordRef::new(Register::Systems, sid, "", &sname);
        // A certificate is good through its expiry day: that is the last day on time.
        c.dated(
            ctx,
            r,
            on,
            format!("Certificate {cname} on {sname} expires"),
            format!("The certificate {cname} on {sname} expired on {on}."),
            format!("the certificate {cname} on {sname} expires on {on}"),
            "Renew the certificate and update its expiry date.",
        );
    }
    c.ok_reason = "Customer data is encrypted at rest and in transit; no certificate is near expiry.".into();
    Ok(())
}
