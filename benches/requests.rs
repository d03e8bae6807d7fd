//! Requests against DynamoDB Local: ORM vs raw SDK (in progress).

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
}
