//! A local HTTP/1.1 server that answers every request after a delay it is
//! told, keeping connections alive: the server a load test runs against.
//! The delay can change while it runs, to make it stall.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub struct SlowServer {
    pub addr: SocketAddr,
    delay_us: Arc<AtomicU64>,
    pub answered: Arc<AtomicU64>,
    _runtime: tokio::runtime::Runtime,
}

impl SlowServer {
    /// Starts on a loopback port, on a thread of its own.
    pub fn start(delay: Duration) -> SlowServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let delay_us = Arc::new(AtomicU64::new(delay.as_micros() as u64));
        let answered = Arc::new(AtomicU64::new(0));
        let (d, a) = (delay_us.clone(), answered.clone());
        runtime.spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (d, a) = (d.clone(), a.clone());
                tokio::spawn(serve(socket, d, a));
            }
        });
        SlowServer {
            addr,
            delay_us,
            answered,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    pub fn set_delay(&self, delay: Duration) {
        self.delay_us
            .store(delay.as_micros() as u64, Ordering::Relaxed);
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    delay_us: Arc<AtomicU64>,
    answered: Arc<AtomicU64>,
) {
    let _ = socket.set_nodelay(true);
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        // A request ends at its blank line; GETs have no body.
        let end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        buffer.drain(..end);
        let delay = delay_us.load(Ordering::Relaxed);
        if delay > 0 {
            tokio::time::sleep(Duration::from_micros(delay)).await;
        }
        let answer = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok";
        if socket.write_all(answer).await.is_err() {
            return;
        }
        answered.fetch_add(1, Ordering::Relaxed);
    }
}
