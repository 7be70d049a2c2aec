//! Where content files come from: a folder on disk, or the copy built into the binary.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::Diagnostic;

/// The `content/` folder as it was when the binary was built (`build.rs` reruns on changes).
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// One file of a content folder.
pub struct SourceFile {
    /// How diagnostics name the file.
    pub path: String,
    /// Path inside the content folder, with `/` separators.
    pub relative: String,
    /// `None` when the file is not UTF-8.
    pub text: Option<String>,
}

pub enum FileKind<'a> {
    Card { category_folder: &'a str },
    Questions,
    Misplaced(&'static str),
    Ignored,
}

impl SourceFile {
    pub fn kind(&self) -> FileKind<'_> {
        let parts: Vec<&str> = self.relative.split('/').collect();
        let kind = match parts.as_slice() {
            ["topics", category, name] if name.ends_with(".md") => FileKind::Card {
                category_folder: category,
            },
            ["topics", ..] if self.relative.ends_with(".md") => {
                FileKind::Misplaced("cards live in topics/<category>/<slug>.md")
            }
            ["questions", name] if name.ends_with(".toml") => FileKind::Questions,
            ["questions", _, ..] if self.relative.ends_with(".toml") => {
                FileKind::Misplaced("question files live directly in questions/")
            }
            _ => FileKind::Ignored,
        };
        match (&kind, &self.text) {
            (FileKind::Ignored, _) | (_, Some(_)) => kind,
            (_, None) => FileKind::Misplaced("the file is not UTF-8 text"),
        }
    }

    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }
}

pub fn built_in_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    collect_built_in(&BUILT_IN, &mut files);
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    files
}

fn collect_built_in(dir: &Dir<'static>, files: &mut Vec<SourceFile>) {
    for file in dir.files() {
        let relative = file.path().to_string_lossy().replace('\\', "/");
        files.push(SourceFile {
            path: format!("content/{relative}"),
            relative,
            text: file.contents_utf8().map(str::to_string),
        });
    }
    for child in dir.dirs() {
        collect_built_in(child, files);
    }
}

pub fn dir_files(root: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    let unreadable = |error: std::io::Error| Diagnostic {
        path: root.display().to_string(),
        line: None,
        message: format!("cannot read the content folder: {error}"),
    };
    if !root.is_dir() {
        return Err(unreadable(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such folder",
        )));
    }
    let mut files = Vec::new();
    let mut pending: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read(&path)
                .map_err(unreadable)
                .map(|bytes| String::from_utf8(bytes).ok())?;
            files.push(SourceFile {
                path: path.display().to_string(),
                relative,
                text,
            });
        }
    }
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}
