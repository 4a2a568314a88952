//! The Readyroom desktop shell. It only translates: each command takes a DTO, calls
//! readyroom-core, and maps the core error to the IPC error. No SQL, no business rules.

pub mod commands;
pub mod error;
pub mod keychain;
pub mod single_instance;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;

use readyroom_core::clock::SystemClock;
use readyroom_core::workspace::{resolve_path, DB_ENV_VAR};
use readyroom_core::Access;
use tauri::{Manager, Runtime};

pub use error::IpcError;
pub use state::AppState;

/// Registers every command. Shared by the real app and the mock-runtime IPC tests.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::workspace_info,
        commands::export_archive,
        commands::check_new_passphrase,
        commands::passphrase_remembered,
        commands::forget_passphrase,
        commands::request_counts,
        commands::list_requests,
        commands::request_detail,
        commands::create_request,
        commands::update_request,
        commands::set_request_archived,
        commands::link_request,
        commands::unlink_request,
        commands::request_suggestions,
        commands::find_evidence,
        commands::preview_import_file,
        commands::binder_range,
        commands::export_binder,
        commands::import_archive,
        commands::choose_archive,
        commands::check_archive,
        commands::cancel_job,
        commands::get_profile,
        commands::save_profile,
        commands::list_criteria,
        commands::list_people,
        commands::create_person,
        commands::update_person,
        commands::set_person_archived,
        commands::person_history,
        commands::people_page,
        commands::list_controls,
        commands::control_detail,
        commands::create_control,
        commands::update_control,
        commands::set_control_archived,
        commands::delete_control,
        commands::add_control_activity,
        commands::starter_controls_summary,
        commands::install_starter_controls,
        commands::choose_import_file,
        commands::choose_evidence_file,
        commands::stage_evidence_file,
        commands::import_file,
        commands::export_template,
        commands::export_csv,
        commands::list_actions,
        commands::action_detail,
        commands::create_action,
        commands::update_action,
        commands::set_action_archived,
        commands::list_policies,
        commands::policy_detail,
        commands::create_policy,
        commands::update_policy,
        commands::approve_policy,
        commands::new_policy_version,
        commands::acknowledge_policy,
        commands::set_policy_archived,
        commands::expected_policies_summary,
        commands::install_expected_policies,
        commands::policy_text,
        commands::policy_versions,
        commands::save_policy_text,
        commands::compare_policy_versions,
        commands::policy_template,
        commands::export_policy_pdf,
        commands::delete_policy,
        commands::attach_evidence,
        commands::open_evidence,
        commands::verify_evidence,
        commands::risk_scale,
        commands::save_band_thresholds,
        commands::list_risks,
        commands::risk_detail,
        commands::create_risk,
        commands::update_risk,
        commands::accept_risk_suggestion,
        commands::role_holders,
        commands::assign_role,
        commands::set_risk_archived,
        commands::starter_risks,
        commands::add_starter_risks,
        commands::risk_heatmap,
        commands::list_risk_assessments,
        commands::risk_assessment,
        commands::risk_assessment_heatmap,
        commands::create_risk_assessment,
        commands::amend_risk_assessment,
        commands::compare_risk_assessments,
        commands::vendor_intervals,
        commands::save_vendor_intervals,
        commands::list_vendors,
        commands::vendor_detail,
        commands::create_vendor,
        commands::update_vendor,
        commands::set_vendor_archived,
        commands::add_vendor_assessment,
        commands::save_soc2_report,
        commands::delete_soc2_report,
        commands::list_systems,
        commands::system_detail,
        commands::create_system,
        commands::update_system,
        commands::set_system_archived,
        commands::add_log_review,
        commands::list_data_types,
        commands::data_type_detail,
        commands::create_data_type,
        commands::update_data_type,
        commands::set_data_type_archived,
        commands::add_disposal,
        commands::correct_dated,
        commands::withdraw_dated,
        commands::diff_access_lists,
        commands::list_access_reviews,
        commands::access_review_detail,
        commands::create_access_review,
        commands::set_access_review_archived,
        commands::training_overview,
        commands::list_courses,
        commands::create_course,
        commands::update_course,
        commands::set_course_archived,
        commands::course_history,
        commands::record_training_session,
        commands::list_completions,
        commands::list_leavers,
        commands::record_deprovisioning,
        commands::list_changes,
        commands::change_detail,
        commands::create_change,
        commands::update_change,
        commands::set_change_archived,
        commands::list_incidents,
        commands::incident_detail,
        commands::create_incident,
        commands::update_incident,
        commands::set_incident_archived,
        commands::add_incident_timeline,
        commands::tabletop_library,
        commands::tabletop_script_source,
        commands::exercise_cast,
        commands::save_tabletop_script,
        commands::tabletop_script_template,
        commands::read_tabletop_script,
        commands::render_tabletop_script,
        commands::save_tabletop_script_form,
        commands::duplicate_tabletop_script,
        commands::archive_tabletop_script,
        commands::export_tabletop_script,
        commands::list_exercises,
        commands::exercise_detail,
        commands::plan_exercise,
        commands::update_exercise_plan,
        commands::set_exercise_archived,
        commands::start_exercise,
        commands::exercise_go_to,
        commands::add_exercise_note,
        commands::set_exercise_coverage,
        commands::set_exercise_attendance,
        commands::save_exercise_debrief,
        commands::add_corrective_action,
        commands::complete_exercise,
        commands::record_exercise_held,
        commands::export_after_action_report,
        commands::export_exercise_handout,
        commands::control_timelines,
        commands::control_timeline,
        commands::exceptions,
        commands::respond_to_exception,
        commands::add_evidence_reference,
        commands::withdraw_evidence,
        commands::check_setting_fields,
        commands::check_list,
        commands::criteria_coverage,
        commands::open_file,
        commands::choose_save_path,
        commands::open_workspace,
        commands::new_workspace,
        commands::create_requested_workspace,
        commands::unlock_workspace,
        commands::encrypt_workspace,
        commands::change_passphrase,
        commands::readiness,
        commands::overview,
        commands::attention,
        commands::attention_records,
        commands::create_actions_for_findings,
        commands::obligations,
        commands::export_obligations_ics,
        commands::check_settings,
        commands::save_check_settings,
        commands::export_readiness_report,
        commands::workspace_is_empty,
        commands::create_demo,
    ])
}

/// Command-line arguments of the desktop app.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub db: Option<PathBuf>,
}

/// Parses `--db FILE` / `--db=FILE`; other arguments are left to the platform.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--db" {
            let value = it.next().ok_or("--db needs a file path")?;
            out.db = Some(PathBuf::from(value));
        } else if let Some(value) = arg.strip_prefix("--db=") {
            out.db = Some(PathBuf::from(value));
        }
    }
    Ok(out)
}

/// Whether a graphical session is available (always true outside Linux/BSD).
pub fn has_display() -> bool {
    if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")) {
        ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    } else {
        true
    }
}

pub fn run(args: Args) {
    let mut builder = tauri::Builder::default();
    // First of the plugins, so a second launch exits before anything else starts.
    if single_instance::enabled() {
        builder = builder.plugin(tauri_plugin_single_instance::init(single_instance::on_launch));
    }
    let result = with_commands(builder)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let app_data = app.path().app_data_dir().ok();
            let env = std::env::var(DB_ENV_VAR).ok().filter(|v| !v.trim().is_empty());
            // The default workspace in the app-data folder is the app's own: on first start the
            // user creates it (with a passphrase unless they choose a plain file). A file named
            // with --db or READYROOM_DB must exist (a typo must not become a new empty
            // workspace; the UI offers to create it).
            let named = args.db.is_some() || env.is_some();
            let clock: Arc<dyn readyroom_core::clock::Clock> = Arc::new(SystemClock);
            // The system keychain, unless told to keep away from it (the end-to-end tests).
            let keychain: Arc<dyn keychain::Keychain> = if std::env::var_os(keychain::NO_KEYCHAIN_VAR).is_some() {
                Arc::new(keychain::MemoryKeychain::default())
            } else {
                Arc::new(keychain::OsKeychain)
            };
            let state = match resolve_path(args.db.clone(), env, app_data) {
                // First start: the user creates the app's own workspace, encrypted by default.
                Ok(path) if !named && std::fs::metadata(&path).map_or(true, |m| m.len() == 0) => {
                    AppState::first_start(path, clock)
                }
                Ok(path) => {
                    // An encrypted workspace whose passphrase the user asked to be remembered
                    // opens without asking.
                    let opened =
                        state::open_remembered(&path, Access::ReadWrite, clock.clone(), None, keychain.as_ref());
                    AppState::new(path, opened, clock)
                }
                Err(err) => AppState::failed(err, clock),
            }
            .with_dialogs(state::Dialogs::from_env())
            .with_keychain(keychain);
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_title(&state.window_title());
            }
            app.manage(state);
            Ok(())
        })
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|_, event| {
            // Decrypted copies of evidence opened in other apps do not outlive the app.
            if let tauri::RunEvent::Exit = event {
                let _ = std::fs::remove_dir_all(state::open_scratch());
            }
        }),
        Err(err) => {
            eprintln!("readyroom: the app could not start: {err}");
            std::process::exit(1);
        }
    }
}
