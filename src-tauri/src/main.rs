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
    readyroom_app::run(args);
}
