use dynamo_orm::DynamoAttribute;

#[derive(DynamoAttribute)]
enum Shape {
    Circle { radius: f64 },
    Square(f64),
    Point,
}

fn main() {}
