//! Just enough HTTP/1.1 over loopback for readiness checks and the benchmark: no client crate
//! in xtask for one GET.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// The `name=value` of a Set-Cookie header, if any (a staff login's session).
    pub cookie: Option<String>,
}

/// One GET on a kept-alive connection; `headers` are extra lines such as "Accept-Encoding: br".
pub fn get_on(stream: &mut BufReader<TcpStream>, host: &str, path: &str, headers: &[&str]) -> std::io::Result<Reply> {
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
    for h in headers {
        req += h;
        req += "\r\n";
    }
    req += "\r\n";
    stream.get_mut().write_all(req.as_bytes())?;
    read_reply(stream)
}

fn read_reply(stream: &mut BufReader<TcpStream>) -> std::io::Result<Reply> {
    let mut line = String::new();
    stream.read_line(&mut line)?;
    let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = None;
    let mut chunked = false;
    let mut cookie = None;
    loop {
        line.clear();
        stream.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("set-cookie:") {
            cookie = l["set-cookie:".len()..].split(';').next().map(|c| c.trim().to_owned());
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        stream.read_exact(&mut body)?;
    }
    Ok(Reply { status, body, cookie })
}

/// One POST of a JSON body on a fresh connection.
pub fn post_json(port: u16, path: &str, body: &str) -> std::io::Result<Reply> {
    post_json_with(port, path, body, &[])
}

/// `post_json` with extra header lines (a session's cookie).
pub fn post_json_with(port: u16, path: &str, body: &str, headers: &[&str]) -> std::io::Result<Reply> {
    let mut s = connect(port)?;
    let host = format!("127.0.0.1:{port}");
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.get_mut().write_all(req.as_bytes())?;
    // The reply is read with the same code as a GET's: reuse it by parsing from here.
    read_reply(&mut s)
}

pub fn connect(port: u16) -> std::io::Result<BufReader<TcpStream>> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    Ok(BufReader::new(stream))
}

pub fn get(port: u16, path: &str, headers: &[&str]) -> std::io::Result<Reply> {
    let mut s = connect(port)?;
    get_on(&mut s, &format!("127.0.0.1:{port}"), path, headers)
}

/// A port nobody listens on right now, for a test run's own servers.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(8799)
}
