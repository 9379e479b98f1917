//! Which province this run serves: `data/province.json`, or the file given after
//! `--province` (a second province on the same code: its name in the app, its departments in
//! the catalogue and the demo accounts, its own local database).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use motcua_core::province::Province;

use crate::Result;

static CHOSEN: OnceLock<PathBuf> = OnceLock::new();

/// Takes `--province <file>` out of `args`, remembering the file for the rest of the run.
pub fn choose(args: &mut Vec<String>) -> Result<()> {
    let Some(at) = args.iter().position(|a| a == "--province") else { return Ok(()) };
    if at + 1 >= args.len() {
        return Err("--province needs a file (for example data/provinces/nghe-an.json)".into());
    }
    let given = PathBuf::from(args.remove(at + 1));
    args.remove(at);
    let file = if given.is_absolute() { given } else { std::env::current_dir().map_err(|e| e.to_string())?.join(given) };
    read_file(&file)?;
    let _ = CHOSEN.set(file);
    Ok(())
}

/// The province file of this run.
pub fn file(root: &Path) -> PathBuf {
    CHOSEN.get().cloned().unwrap_or_else(|| root.join("data/province.json"))
}

/// The province the shipped catalogue (`data/catalogue.json`) is assigned to.
pub fn shipped(root: &Path) -> Result<Province> {
    read_file(&root.join("data/province.json"))
}

/// The province of this run, checked.
pub fn read(root: &Path) -> Result<Province> {
    read_file(&file(root))
}

fn read_file(path: &Path) -> Result<Province> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let p: Province = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    p.check().map_err(|e| format!("{}: {e:?}", path.display()))
}

/// The local database of `dev`/`serve` for this run: one per province, as deployed
/// (`--province data/province.json` is the default, `.state/dev`).
pub fn dev_state(root: &Path) -> PathBuf {
    let shipped = root.join("data/province.json").canonicalize().ok();
    match CHOSEN.get().filter(|f| f.canonicalize().ok() != shipped).and_then(|f| f.file_stem()) {
        Some(stem) => root.join(".state").join(format!("dev-{}", stem.to_string_lossy())),
        None => root.join(".state/dev"),
    }
}
