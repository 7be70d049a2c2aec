//! Rebuild when content or migrations change: both are compiled into the binary
//! (`include_dir!` and `sqlx::migrate!`), and cargo cannot see that on its own.

fn main() {
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=migrations");
}
