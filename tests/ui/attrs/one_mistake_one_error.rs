use dynamo_orm::{DynamoItem, HasFields, PrimaryKey};

// The only mistake: no hash key. Code using what the derive would have made
// still finds it (placeholders are emitted beside the error), so there is one error.
#[derive(DynamoItem)]
#[dynamo(table = "users", gsi(ByEmail, hash = email))]
struct User {
    username: String,
    email: String,
}

fn uses(user: &User) -> Option<UserKey> {
    let _fields: UserFields = User::FIELDS;
    let _fields = <User as HasFields>::FIELDS;
    let _index = ByEmail;
    let _item = user.to_item().ok()?;
    let key = user.key();
    let _ = key.to_key_item();
    Some(key)
}

fn main() {
    let user = User { username: "ann".into(), email: "ann@example.com".into() };
    let _ = uses(&user);
}
