fn main() { readyroom_app::run() }
