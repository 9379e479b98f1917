//! The second factor of admin accounts: time-based one-time passwords (RFC 6238 over the
//! HOTP of RFC 4226: HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps make them.
//! Feature `password` (the worker, the tests), like the password hashing.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP: u64 = 30;

/// The code of `secret` at step `counter` (RFC 4226 §5.3, dynamic truncation).
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    binary % 1_000_000
}

/// The code of `secret` at `unix_seconds`, as six digits.
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    format!("{:06}", hotp(secret, unix_seconds / STEP))
}

/// The step a code typed at `unix_seconds` matches, allowing one step of clock drift either
/// way; `None` when it matches none, or only a step at or before `last_used` (a code is good
/// once).
pub fn verify(secret: &[u8], code: &str, unix_seconds: u64, last_used: Option<u64>) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = unix_seconds / STEP;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|c| last_used.is_none_or(|l| *c > l))
        .find(|c| format!("{:06}", hotp(secret, *c)) == code)
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(BASE32[((n >> (35 - 5 * i)) & 31) as usize] as char);
        }
    }
    out
}

pub fn from_base32(s: &str) -> Option<Vec<u8>> {
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = BASE32.iter().position(|b| *b == c.to_ascii_uppercase())? as u64;
        bits = (bits << 5) | v;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app reads (as a QR code or typed); the issuer (a
/// deployment's name may be Vietnamese) and the account are percent-encoded.
pub fn uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let (issuer, account) = (encode(issuer), encode(account));
    format!("otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits=6&period={STEP}", base32(secret))
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B (SHA-1, the 20-byte ASCII secret), its eight-digit codes cut to six.
    #[test]
    fn the_rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [(59u64, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")] {
            assert_eq!(code_at(secret, time), eight[2..], "{time}");
        }
    }

    #[test]
    fn a_code_is_good_once_and_one_step_either_way() {
        let secret = b"12345678901234567890";
        let code = code_at(secret, 1111111109);
        assert_eq!(verify(secret, &code, 1111111109, None), Some(1111111109 / 30));
        assert!(verify(secret, &code, 1111111109 + 30, None).is_some(), "the next step still takes it");
        assert_eq!(verify(secret, &code, 1111111109 + 90, None), None, "three steps later it is gone");
        assert_eq!(verify(secret, &code, 1111111109, Some(1111111109 / 30)), None, "used already");
        assert_eq!(verify(secret, "12345", 1111111109, None), None);
    }

    #[test]
    fn base32_round_trips_as_rfc_4648_says() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(from_base32("mzxw6ytboi======").unwrap(), b"foobar");
        assert_eq!(from_base32("MZ1"), None);
        let secret = [7u8; 20];
        assert_eq!(from_base32(&base32(&secret)).unwrap(), secret);
        assert!(uri("motcua", "quantri", &secret).starts_with("otpauth://totp/motcua:quantri?secret="));
        assert!(uri("Một cửa", "qt.snv", &secret).starts_with("otpauth://totp/M%E1%BB%99t%20c%E1%BB%ADa:qt.snv?"));
    }
}
