//! motcua-core: every rule of the one-stop service, once, with no I/O.
//!
//! The app (WASM in the browser), the worker (WASM in workerd) and the tools (xtask, tests) all
//! depend on this crate, so a rule written here holds everywhere: the same folding for the search
//! index and the query, the same validation of a filter in the browser and on the server.

/// The serde glue of a validated string newtype (`#[serde(try_from = "String", into =
/// "String")]`): parsing goes through the type's own `parse`, so JSON can never hold a bad value.
macro_rules! string_newtype {
    ($ty:ident, $err:ty) => {
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $ty::parse(&s)
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }
    };
}

pub mod accounts;
pub mod applicant;
pub mod calendar;
pub mod catalogue;
pub mod date;
pub mod dossier;
pub mod duration;
pub mod form;
pub mod error;
pub mod i18n;
pub mod kpi;
pub mod lunar;
pub mod notify;
pub mod province;
pub mod query;
pub mod routes;
pub mod settings;
pub mod rating;
pub mod stats;
pub mod text;
#[cfg(feature = "password")]
pub mod totp;
pub mod tracking;
pub mod workflow;

pub use error::{ErrorBody, ErrorCode};
pub use i18n::Lang;
