//! Web Push's cryptography, pure (feature `push`): a notice encrypted for the browser's
//! subscription (RFC 8291, `aes128gcm` of RFC 8188) and the VAPID authorization of the sender
//! (RFC 8292). The caller brings the randomness and sends the request.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// The record size announced in the header (one record carries the whole message).
const RECORD_SIZE: u32 = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("p256dh is not a base64url P-256 point")]
    ReceiverKey,
    #[error("auth is not 16 bytes of base64url")]
    Auth,
    #[error("the sender's key is not a P-256 scalar")]
    SenderKey,
    #[error("the message is too long for one record")]
    TooLong,
}

/// Decodes base64url with or without padding.
pub fn from_base64url(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim().trim_end_matches('=')).ok()
}

pub fn to_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a subscription's keys are usable: a P-256 point and a 16-byte secret.
pub fn keys_ok(p256dh: &str, auth: &str) -> bool {
    from_base64url(p256dh).is_some_and(|k| PublicKey::from_sec1_bytes(&k).is_ok()) && from_base64url(auth).is_some_and(|a| a.len() == 16)
}

/// `plain` encrypted for the subscription keys `p256dh` (65 bytes, uncompressed) and `auth`
/// (16 bytes), with the sender's one-time key `as_secret` and `salt`: the RFC 8291 body (salt,
/// record size, key id = the sender's public key, one record).
pub fn encrypt(plain: &[u8], p256dh: &[u8], auth: &[u8], as_secret: &[u8; 32], salt: &[u8; 16]) -> Result<Vec<u8>, PushError> {
    if plain.len() + 1 + 16 > RECORD_SIZE as usize - 86 {
        return Err(PushError::TooLong);
    }
    let ua = PublicKey::from_sec1_bytes(p256dh).map_err(|_| PushError::ReceiverKey)?;
    if auth.len() != 16 {
        return Err(PushError::Auth);
    }
    let secret = SecretKey::from_slice(as_secret).map_err(|_| PushError::SenderKey)?;
    let as_public = secret.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), ua.as_affine());
    // IKM = HKDF(auth, ECDH, "WebPush: info\0" ‖ ua_public ‖ as_public, 32)
    let mut info = b"WebPush: info\0".to_vec();
    info.extend_from_slice(p256dh);
    info.extend_from_slice(as_public.as_bytes());
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), shared.raw_secret_bytes().as_slice()).expand(&info, &mut ikm).expect("32 bytes is a valid HKDF length");
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).expect("16 bytes");
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).expect("12 bytes");
    // The last (only) record ends with the delimiter 0x02, no padding.
    let mut record = plain.to_vec();
    record.push(2);
    let sealed = Aes128Gcm::new_from_slice(&cek).expect("a 16-byte key").encrypt(Nonce::from_slice(&nonce), record.as_slice()).expect("in memory");
    let mut out = Vec::with_capacity(86 + sealed.len());
    out.extend_from_slice(salt);
    out.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    out.push(65);
    out.extend_from_slice(as_public.as_bytes());
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The VAPID key pair of a deployment, from its 32-byte secret.
pub struct Vapid(SigningKey);

impl Vapid {
    pub fn from_bytes(secret: &[u8]) -> Result<Vapid, PushError> {
        SigningKey::from_slice(secret).map(Vapid).map_err(|_| PushError::SenderKey)
    }

    /// The public key as browsers take it (`applicationServerKey`): base64url, uncompressed.
    pub fn public_key(&self) -> String {
        to_base64url(self.0.verifying_key().to_encoded_point(false).as_bytes())
    }

    /// `Authorization: vapid t=<JWT>, k=<key>` for a push service at `audience` (its origin),
    /// valid until `expires` (Unix seconds), naming the sender's contact `subject`.
    pub fn authorization(&self, audience: &str, expires: i64, subject: &str) -> String {
        let header = to_base64url(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = format!(r#"{{"aud":"{}","exp":{expires},"sub":"{}"}}"#, audience.replace('"', ""), subject.replace('"', ""));
        let input = format!("{header}.{}", to_base64url(claims.as_bytes()));
        let signature: Signature = self.0.sign(input.as_bytes());
        format!("vapid t={input}.{}, k={}", to_base64url(&signature.to_bytes()), self.public_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        from_base64url(s).unwrap()
    }

    /// RFC 8291 Appendix A: the same keys and salt give the same body, byte for byte.
    #[test]
    fn the_rfc_8291_example() {
        let plain = b"When I grow up, I want to be a watermelon";
        let ua_public = b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
        let auth = b64("BTBZMqHH6r4Tts7J_aSIgg");
        let secret: [u8; 32] = b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw").try_into().unwrap();
        let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap();
        let body = encrypt(plain, &ua_public, &auth, &secret, &salt).unwrap();
        assert_eq!(
            to_base64url(&body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
        assert!(keys_ok("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "BTBZMqHH6r4Tts7J_aSIgg"));
        assert!(!keys_ok("AAAA", "BTBZMqHH6r4Tts7J_aSIgg") && !keys_ok("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "short"));
    }

    /// The JWT verifies with the public key it names, and says who may receive it.
    #[test]
    fn a_vapid_authorization_verifies() {
        use p256::ecdsa::signature::Verifier;
        use p256::ecdsa::VerifyingKey;
        let vapid = Vapid::from_bytes(&[7u8; 32]).unwrap();
        let header = vapid.authorization("https://push.example", 1_800_000_000, "mailto:a@b.vn");
        let (t, k) = header.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
        assert_eq!(k, vapid.public_key());
        let (input, sig) = t.rsplit_once('.').unwrap();
        let key = VerifyingKey::from_sec1_bytes(&b64(k)).unwrap();
        let sig = Signature::from_slice(&b64(sig)).unwrap();
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        let claims = String::from_utf8(b64(input.split('.').nth(1).unwrap())).unwrap();
        assert_eq!(claims, r#"{"aud":"https://push.example","exp":1800000000,"sub":"mailto:a@b.vn"}"#);
    }
}
