//! The `studybot` binary: everything lives in the library; this only hands over to its CLI.

fn main() -> std::process::ExitCode {
    studybot::cli::main()
}
