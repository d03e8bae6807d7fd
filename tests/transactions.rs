//! Transactions across tables against DynamoDB Local.

mod common;

use dynamo_orm::expr::Update;
use dynamo_orm::{DynamoItem, Error, TransactGet, TransactWrite};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "accounts")]
struct Account {
    #[dynamo(hash_key)]
    id: String,
    balance: i64,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "ledger")]
struct Entry {
    #[dynamo(hash_key)]
    account: String,
    #[dynamo(range_key)]
    seq: u64,
    amount: i64,
}

#[tokio::test]
async fn transfer_across_two_tables_commits_or_cancels_whole() {
    let accounts = common::fresh_table::<Account>().await;
    let ledger = common::fresh_table::<Entry>().await;
    for (id, balance) in [("alice", 100), ("bob", 0)] {
        accounts
            .put(&Account {
                id: id.into(),
                balance,
            })
            .await
            .unwrap();
    }
    let f = Account::FIELDS;
    let transfer = |seq: u64, amount: i64| {
        let (accounts, ledger) = (accounts.clone(), ledger.clone());
        async move {
            let entry = Entry {
                account: "alice".into(),
                seq,
                amount: -amount,
            };
            TransactWrite::new(accounts.client())
                .update(
                    accounts
                        .update(Account::key("alice"))
                        .apply(Update::new().decrement(f.balance, amount))
                        .condition(f.balance.ge(amount)),
                )
                .update(
                    accounts
                        .update(Account::key("bob"))
                        .apply(Update::new().increment(f.balance, amount)),
                )
                .put(ledger.put(&entry).condition(Entry::FIELDS.seq.not_exists()))
                .await
        }
    };
    transfer(1, 60).await.unwrap();
    let err = transfer(2, 60).await.unwrap_err();
    match &err {
        Error::TransactionCanceled { reasons } => {
            assert_eq!(reasons.len(), 3);
            assert_eq!(reasons[0].code.as_deref(), Some("ConditionalCheckFailed"));
            assert_eq!(reasons[1].code.as_deref(), Some("None"));
        }
        other => panic!("expected TransactionCanceled, got {other:?}"),
    }
    assert!(err.to_string().contains("ConditionalCheckFailed"));

    let mut tx = TransactGet::new(accounts.client());
    let a = tx.get(&accounts, Account::key("alice"));
    let b = tx.get(&accounts, Account::key("bob"));
    let e1 = tx.get(&ledger, Entry::key("alice", 1));
    let e2 = tx.get(&ledger, Entry::key("alice", 2));
    let mut got = tx.await.unwrap();
    assert_eq!(got.take(a).unwrap().unwrap().balance, 40);
    assert_eq!(got.take(b).unwrap().unwrap().balance, 60);
    assert_eq!(got.take(e1).unwrap().unwrap().amount, -60);
    assert_eq!(
        got.take(e2).unwrap(),
        None,
        "the cancelled transaction wrote nothing"
    );

    // Deletes and condition checks; an empty transaction is refused.
    TransactWrite::new(accounts.client())
        .condition_check(accounts.condition_check(Account::key("bob"), f.balance.eq(60)))
        .delete(ledger.delete(Entry::key("alice", 1)))
        .client_request_token("cleanup-1")
        .await
        .unwrap();
    assert!(
        ledger
            .get(Entry::key("alice", 1))
            .consistent()
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        TransactWrite::new(accounts.client()).await,
        Err(Error::Validation(_))
    ));
}
