//! What the phone keeps (localStorage): form drafts and "Hồ sơ của tôi". Survives reloads,
//! closing the tab and going offline; nothing of it is sent anywhere unless submitted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    crate::json::decode(&storage()?.get_item(key).ok()??)
}

fn write<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &text);
    }
}

/// A form in progress: the answers so far, the page reached and the submission's key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub answers: BTreeMap<String, String>,
    pub page: usize,
    /// Made once per draft, so a retried submission is recognised as the same one.
    pub idempotency_key: String,
    /// Attachments already uploaded, with the file names the citizen chose.
    #[serde(default)]
    pub documents: Vec<Attached>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attached {
    pub id: String,
    pub name: String,
    pub size: u32,
    /// The required document it is for (index in the procedure's list); `None`: another paper.
    #[serde(default)]
    pub document: Option<u16>,
}

fn draft_key(procedure: &str) -> String {
    format!("motcua:draft:{procedure}")
}

pub fn load_draft(procedure: &str) -> Draft {
    let mut d: Draft = read(&draft_key(procedure)).unwrap_or_default();
    if d.idempotency_key.is_empty() {
        d.idempotency_key = random_key();
    }
    d
}

pub fn save_draft(procedure: &str, draft: &Draft) {
    write(&draft_key(procedure), draft);
}

pub fn discard_draft(procedure: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&draft_key(procedure));
    }
}

/// 128 random bits from the browser's CSPRNG, as hex: a submission's idempotency key. Never
/// all zeros (the server refuses such a key): where the CSPRNG is missing, the clock and
/// `Math.random` fill in.
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes.iter().all(|b| *b == 0) {
        let now = js_sys::Date::now() as u64;
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = ((js_sys::Math::random() * 256.0) as u8) ^ (now >> (8 * (i % 8))) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A dossier this device submitted or looked up, with its last known status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    pub code: String,
    pub procedure_name: String,
    pub status_label: String,
    pub due_at: String,
    /// Waiting for the applicant (a supplement asked): marked in the list.
    #[serde(default)]
    pub needs_action: bool,
}

const MINE: &str = "motcua:mine";

pub fn mine() -> Vec<Remembered> {
    read(MINE).unwrap_or_default()
}

pub fn remember(entry: Remembered) {
    let mut list = mine();
    list.retain(|r| r.code != entry.code);
    list.insert(0, entry);
    list.truncate(50);
    write(MINE, &list);
}

fn receipt_key(code: &str) -> String {
    format!("motcua:receipt:{code}")
}

/// Keeps the receipt (with its secret) on the phone that submitted, to reopen from "Hồ sơ của
/// tôi": the phone is the applicant's, as the paper slip would be.
pub fn save_receipt(r: &motcua_core::dossier::Receipt) {
    write(&receipt_key(r.code.as_str()), r);
}

pub fn saved_receipt(code: &str) -> Option<motcua_core::dossier::Receipt> {
    read(&receipt_key(code))
}

/// Updates a remembered dossier where it stands in the list.
pub fn replace(entry: Remembered) {
    let mut list = mine();
    if let Some(r) = list.iter_mut().find(|r| r.code == entry.code) {
        *r = entry;
        write(MINE, &list);
    }
}

const KIOSK: &str = "motcua:kiosk";

/// The survey kiosk's device token, when an admin enrolled this device.
pub fn kiosk_token() -> Option<String> {
    read(KIOSK)
}

pub fn set_kiosk_token(token: &str) {
    write(KIOSK, &token);
}
