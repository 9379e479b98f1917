//! A Web Push service on the loopback for the tests: it takes the worker's POSTs (answering
//! what a test plans: 201, or 503 then 201, or 410), and a `Subscriber` decrypts them as a
//! browser would (RFC 8291, written here again from the receiving side).

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// One request the service received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// The status it was answered.
    pub status: u16,
}

#[derive(Clone)]
pub struct PushService {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    plans: Arc<Mutex<HashMap<String, VecDeque<u16>>>>,
}

impl PushService {
    pub fn start() -> PushService {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("bound").port();
        let service = PushService { port, received: Arc::default(), plans: Arc::default() };
        let s = service.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.serve(stream));
            }
        });
        service
    }

    fn serve(&self, mut stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or_default().to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
            }
        }
        let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let name = path.rsplit('/').next().unwrap_or_default().to_owned();
        let status = self.plans.lock().unwrap().get_mut(&name).and_then(VecDeque::pop_front).unwrap_or(201);
        self.received.lock().unwrap().push(Received { path, headers, body, status });
        let reason = if status < 300 { "Created" } else { "Refused" };
        let _ = write!(stream, "HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    /// The endpoint of a subscription named `name`.
    pub fn endpoint(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/push/{name}", self.port)
    }

    /// The statuses the next requests to `name` are answered, in order (then 201).
    pub fn answer(&self, name: &str, statuses: &[u16]) {
        self.plans.lock().unwrap().insert(name.to_owned(), statuses.iter().copied().collect());
    }

    pub fn received(&self, name: &str) -> Vec<Received> {
        self.received.lock().unwrap().iter().filter(|r| r.path.ends_with(&format!("/{name}"))).cloned().collect()
    }
}

/// A browser's subscription keys.
pub struct Subscriber {
    secret: SecretKey,
    auth: [u8; 16],
}

impl Subscriber {
    /// Keys made from `seed` (tests need no randomness, only distinct keys).
    pub fn new(seed: u8) -> Subscriber {
        let mut bytes = [seed; 32];
        bytes[0] = 1;
        Subscriber { secret: SecretKey::from_slice(&bytes).expect("a valid scalar"), auth: [seed.wrapping_add(7); 16] }
    }

    fn public(&self) -> Vec<u8> {
        self.secret.public_key().to_encoded_point(false).as_bytes().to_vec()
    }

    pub fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public())
    }

    pub fn auth(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.auth)
    }

    /// The plaintext of an `aes128gcm` body sent to this subscription.
    pub fn decrypt(&self, body: &[u8]) -> Vec<u8> {
        let (salt, rest) = body.split_at(16);
        let key_len = usize::from(rest[4]);
        let (sender, sealed) = rest[5..].split_at(key_len);
        let sender_key = PublicKey::from_sec1_bytes(sender).expect("the sender's key");
        let shared = p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), sender_key.as_affine());
        let mut info = b"WebPush: info\0".to_vec();
        info.extend_from_slice(&self.public());
        info.extend_from_slice(sender);
        let mut ikm = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&self.auth), shared.raw_secret_bytes().as_slice()).expand(&info, &mut ikm).unwrap();
        let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
        let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
        prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).unwrap();
        prk.expand(b"Content-Encoding: nonce\0", &mut nonce).unwrap();
        let mut plain = Aes128Gcm::new_from_slice(&cek).unwrap().decrypt(Nonce::from_slice(&nonce), sealed).expect("decrypts with our keys");
        // The last record ends with 0x02, then padding zeros.
        while plain.last() == Some(&0) {
            plain.pop();
        }
        assert_eq!(plain.pop(), Some(2), "the last record's delimiter");
        plain
    }
}

/// Checks a VAPID `Authorization` header (RFC 8292): its JWT is signed by the key it names
/// and is meant for `audience`; answers the key.
pub fn vapid_key_of(authorization: &str, audience: &str) -> String {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    let rest = authorization.strip_prefix("vapid t=").expect("a vapid scheme");
    let (jwt, key) = rest.split_once(", k=").expect("t and k");
    let (input, signature) = jwt.rsplit_once('.').expect("a signed JWT");
    let verifying = VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(key).unwrap()).expect("a P-256 key");
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap()).expect("r‖s");
    verifying.verify(input.as_bytes(), &signature).expect("the JWT verifies");
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(input.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["aud"], audience);
    key.to_owned()
}
