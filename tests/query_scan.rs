//! Typed queries (table, LSI, GSI) and scans against DynamoDB Local.

mod common;

use std::collections::HashSet;

use dynamo_orm::{DynamoAttribute, DynamoItem, Error, Table};
use futures::TryStreamExt;

/// A forum: threads per forum, ordered by post time.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "threads")]
#[dynamo(lsi(ByReplies, range = replies, projection = all))]
#[dynamo(gsi(ByAuthor, hash = author, range = subject, projection = include(replies)))]
#[dynamo(gsi(ByTag, hash = tag, projection = keys_only))]
struct Thread {
    #[dynamo(hash_key)]
    forum: String,
    #[dynamo(range_key)]
    posted: i64,
    subject: String,
    author: String,
    tag: String,
    replies: u32,
    body: String,
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(projection_of = Thread)]
struct Headline {
    forum: String,
    posted: i64,
    subject: String,
}

fn thread(forum: &str, posted: i64) -> Thread {
    Thread {
        forum: forum.into(),
        posted,
        subject: format!("subject {posted:03}"),
        author: format!("author{}", posted % 3),
        tag: if posted % 2 == 0 { "even" } else { "odd" }.into(),
        replies: u32::try_from(posted % 7).unwrap(),
        body: "x".repeat(100),
    }
}

async fn forum_table(n: i64) -> Table<Thread> {
    let table = common::fresh_table::<Thread>().await;
    let mut writer = table.batch_writer();
    for i in 0..n {
        writer.put(&thread("rust", i)).await.unwrap();
        if i < 10 {
            writer.put(&thread("go", i)).await.unwrap();
        }
    }
    writer.finish().await.unwrap();
    table
}

fn posted(items: &[Thread]) -> Vec<i64> {
    items.iter().map(|t| t.posted).collect()
}

/// A page's items, all of which must have decoded.
fn ok(items: &[dynamo_orm::Result<Thread>]) -> Vec<Thread> {
    items
        .iter()
        .map(|r| r.as_ref().expect("decoded").clone())
        .collect()
}

#[tokio::test]
async fn table_query_operators() {
    let t = forum_table(50).await;
    assert_eq!(t.query("rust").count().await.unwrap(), 50);
    assert_eq!(t.query("go").count().await.unwrap(), 10);
    assert_eq!(
        posted(&t.query("rust").range_eq(7).all().await.unwrap()),
        vec![7]
    );
    assert_eq!(
        posted(&t.query("rust").range_lt(3).all().await.unwrap()),
        vec![0, 1, 2]
    );
    assert_eq!(
        posted(&t.query("rust").range_le(2).all().await.unwrap()),
        vec![0, 1, 2]
    );
    assert_eq!(
        posted(&t.query("rust").range_gt(47).all().await.unwrap()),
        vec![48, 49]
    );
    assert_eq!(
        posted(&t.query("rust").range_ge(48).all().await.unwrap()),
        vec![48, 49]
    );
    assert_eq!(
        posted(&t.query("rust").range_between(10, 13).all().await.unwrap()),
        vec![10, 11, 12, 13]
    );
    assert_eq!(
        posted(
            &t.query("rust")
                .range_between(10, 13)
                .reverse()
                .all()
                .await
                .unwrap()
        ),
        vec![13, 12, 11, 10]
    );
    assert_eq!(
        posted(&t.query("rust").reverse().limit(3).all().await.unwrap()),
        vec![49, 48, 47]
    );
    // begins_with on this numeric sort key does not compile (see the
    // compile_fail doc test of `range_begins_with`).
    let filtered = t
        .query("rust")
        .filter(Thread::FIELDS.tag.eq("even") & Thread::FIELDS.replies.gt(3))
        .all()
        .await
        .unwrap();
    assert!(!filtered.is_empty());
    assert!(filtered.iter().all(|x| x.tag == "even" && x.replies > 3));
    let expected = (0..50).filter(|i| i % 2 == 0 && i % 7 > 3).count();
    assert_eq!(filtered.len(), expected);
    assert_eq!(
        t.query("rust")
            .filter(Thread::FIELDS.tag.eq("even"))
            .count()
            .await
            .unwrap(),
        25
    );
    assert_eq!(
        t.query("rust")
            .consistent()
            .first()
            .await
            .unwrap()
            .unwrap()
            .posted,
        0
    );
    assert!(t.query("nobody").all().await.unwrap().is_empty());
}

#[tokio::test]
async fn pagination_streams_pages_and_resumes_from_a_cursor() {
    let t = forum_table(95).await;
    // Small pages: the stream fetches them lazily and yields every item once, in order.
    let all: Vec<Thread> = t
        .query("rust")
        .page_size(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(posted(&all), (0..95).collect::<Vec<_>>());
    let pages: Vec<_> = t
        .query("rust")
        .page_size(10)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(pages.len() >= 10, "{} pages", pages.len());
    assert!(pages.iter().all(|p| p.items.len() <= 10));

    // Page by hand with a cursor.
    let mut first = std::pin::pin!(t.query("rust").page_size(20).pages());
    let page1 = first.try_next().await.unwrap().unwrap();
    assert_eq!(posted(&ok(&page1.items)), (0..20).collect::<Vec<_>>());
    let cursor = page1.cursor.clone().unwrap();
    let rest: Vec<Thread> = t.query("rust").start_from(cursor).all().await.unwrap();
    assert_eq!(posted(&rest), (20..95).collect::<Vec<_>>());

    // limit(n) ends exactly at n and its cursor resumes right after.
    let mut limited = std::pin::pin!(t.query("rust").limit(25).page_size(10).pages());
    let mut seen = Vec::new();
    let mut last_cursor = None;
    while let Some(page) = limited.try_next().await.unwrap() {
        seen.extend(posted(&ok(&page.items)));
        last_cursor = page.cursor;
    }
    assert_eq!(seen, (0..25).collect::<Vec<_>>());
    let next = t
        .query("rust")
        .start_from(last_cursor.unwrap())
        .limit(2)
        .all()
        .await
        .unwrap();
    assert_eq!(posted(&next), vec![25, 26]);
}

#[tokio::test]
async fn local_and_global_index_queries() {
    let t = forum_table(30).await;
    // LSI: same partition, sorted by replies.
    let by_replies = t
        .index::<ByReplies>()
        .query("rust")
        .range_eq(6)
        .all()
        .await
        .unwrap();
    assert_eq!(by_replies.len(), (0..30).filter(|i| i % 7 == 6).count());
    assert!(by_replies.iter().all(|x| x.replies == 6));
    let lsi_range = t
        .index::<ByReplies>()
        .query("rust")
        .range_between(0, 1)
        .consistent()
        .count()
        .await
        .unwrap();
    assert_eq!(lsi_range as usize, (0..30).filter(|i| i % 7 <= 1).count());
    for (name, n) in [
        (
            "lt",
            t.index::<ByReplies>()
                .query("rust")
                .range_lt(2)
                .count()
                .await
                .unwrap(),
        ),
        (
            "le",
            t.index::<ByReplies>()
                .query("rust")
                .range_le(1)
                .count()
                .await
                .unwrap(),
        ),
        (
            "gt",
            t.index::<ByReplies>()
                .query("rust")
                .range_gt(4)
                .count()
                .await
                .unwrap(),
        ),
        (
            "ge",
            t.index::<ByReplies>()
                .query("rust")
                .range_ge(5)
                .count()
                .await
                .unwrap(),
        ),
    ] {
        let expected = match name {
            "lt" | "le" => (0..30).filter(|i| i % 7 <= 1).count(),
            _ => (0..30).filter(|i| i % 7 >= 5).count(),
        };
        assert_eq!(n as usize, expected, "{name}");
    }

    // GSI with a string sort key: begins_with, projections.
    let by_author = t
        .index::<ByAuthor>()
        .project::<Headline>()
        .query("author1")
        .range_begins_with("subject 00")
        .all()
        .await
        .unwrap();
    assert_eq!(
        by_author.iter().map(|h| h.posted).collect::<HashSet<_>>(),
        [1, 4, 7].into_iter().collect()
    );
    let eq = t
        .index::<ByAuthor>()
        .project::<Headline>()
        .query("author2")
        .range_eq("subject 005")
        .count()
        .await
        .unwrap();
    assert_eq!(eq, 2, "one in each forum: GSI keys need not be unique");
    let lt = t
        .index::<ByAuthor>()
        .project::<Headline>()
        .query("author0")
        .range_lt("subject 010")
        .count()
        .await
        .unwrap();
    assert_eq!(lt, 8); // 0, 3, 6, 9 in both forums
    let between = t
        .index::<ByAuthor>()
        .project::<Headline>()
        .query("author0")
        .range_between("subject 003", "subject 009")
        .count()
        .await
        .unwrap();
    assert_eq!(between, 6); // 3, 6, 9 in both forums

    // Consistent reads are refused on a GSI before anything is sent.
    let err = t
        .index::<ByAuthor>()
        .project::<Headline>()
        .query("author0")
        .consistent()
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");

    // KEYS_ONLY GSI: reading the full item does not compile (see
    // tests/ui/index/query_item_from_keys_only.rs); a projection of the keys works.
    let tagged = t
        .index::<ByTag>()
        .project::<Keys>()
        .query("odd")
        .all()
        .await
        .unwrap();
    assert_eq!(tagged.len(), 15 + 5);
}

#[derive(DynamoAttribute, Debug, PartialEq)]
#[dynamo(projection_of = Thread)]
struct Keys {
    forum: String,
    posted: i64,
}

#[tokio::test]
async fn scans_filters_segments_and_parallel() {
    let t = forum_table(200).await;
    let total = 200 + 10;
    assert_eq!(t.scan().count().await.unwrap(), total);
    assert_eq!(t.scan().all().await.unwrap().len() as u64, total);
    assert_eq!(t.scan().limit(7).page_size(3).all().await.unwrap().len(), 7);
    let odd = t
        .scan()
        .filter(Thread::FIELDS.tag.eq("odd"))
        .all()
        .await
        .unwrap();
    assert_eq!(odd.len(), 100 + 5);
    let heads: Vec<Headline> = t
        .scan()
        .project::<Headline>()
        .page_size(50)
        .all()
        .await
        .unwrap();
    assert_eq!(heads.len() as u64, total);

    // Segments partition the table: each item exactly once.
    let mut union = Vec::new();
    for s in 0..4 {
        union.extend(t.scan().segment(s, 4).all().await.unwrap());
    }
    let keys: HashSet<_> = union.iter().map(|x| (x.forum.clone(), x.posted)).collect();
    assert_eq!(union.len() as u64, total);
    assert_eq!(keys.len() as u64, total);

    for n in [1, 2, 4, 8] {
        let items: Vec<Thread> = t
            .scan()
            .parallel(n)
            .page_size(16)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let keys: HashSet<_> = items.iter().map(|x| (x.forum.clone(), x.posted)).collect();
        assert_eq!(items.len() as u64, total, "parallel({n})");
        assert_eq!(keys.len() as u64, total, "parallel({n}) duplicates");
        assert_eq!(t.scan().parallel(n).count().await.unwrap(), total);
    }
    assert!(matches!(
        t.scan().segment(4, 4).all().await,
        Err(Error::Validation(_))
    ));
    // GSI scan.
    assert_eq!(
        t.index::<ByTag>()
            .project::<Keys>()
            .scan()
            .all()
            .await
            .unwrap()
            .len() as u64,
        total
    );
}

#[tokio::test]
async fn batch_get_many_keys() {
    let t = forum_table(250).await;
    let mut keys: Vec<_> = (0..250).map(|i| Thread::key("rust", i)).collect();
    keys.extend((0..250).map(|i| Thread::key("rust", i))); // duplicates are folded
    keys.push(Thread::key("rust", 9999)); // a key without an item is simply absent
    let got = t.batch_get(keys).await.unwrap();
    assert_eq!(got.len(), 250);
    let posted: HashSet<_> = got.iter().map(|x| x.posted).collect();
    assert_eq!(posted.len(), 250);
    let heads: Vec<Headline> = t
        .batch_get((0..5).map(|i| Thread::key("go", i)))
        .project::<Headline>()
        .consistent()
        .await
        .unwrap();
    assert_eq!(heads.len(), 5);
}
