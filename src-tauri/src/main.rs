// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args = match readyroom_app::parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("readyroom: {message}");
            std::process::exit(2);
        }
    };
    if !readyroom_app::has_display() {
        eprintln!("readyroom: no display found (DISPLAY/WAYLAND_DISPLAY unset); run it in a desktop session, or under `xvfb-run`, or use the `readyroom` CLI.");
        std::process::exit(1);
    }
    // History entries name who made each change: the computer account running the app.
    let account =
        ["USER", "USERNAME", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    readyroom_core::workspace::set_process_actor(account.as_deref().unwrap_or("unknown account"));
    // Linux: WebKitGTK paints the pages in software rather than composited in OpenGL layers.
    // Registers, forms and tables do not need layers, and without a GPU (a VM, a remote
    // desktop, Mesa's software renderer) the layers alone held 100 MiB in the web process.
    // Set before any thread starts; a value the user exported is left as it is.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    readyroom_app::run(args);
}
