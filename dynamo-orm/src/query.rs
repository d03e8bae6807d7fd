//! Typed queries on the table and on each index.

use std::marker::PhantomData;

use futures::stream::{Stream, TryStreamExt};

use crate::AttributeValue;
use crate::error::{Error, Result};
use crate::expr::{Condition, ExpressionAttributes, SortKeyCondition, render_key_condition};
use crate::items::projection_names;
use crate::key::KeyArg;
use crate::read::{Cursor, Page, ReadKind, ReadRequest};
use crate::schema::{DynamoItem, PrimaryIndex, ProjectionOf, QueryTarget, ScalarType, SortKey};
use crate::table::Table;
use crate::value::{IntoAttribute, KeyScalar};

/// Options query and scan share.
#[derive(Clone, Default)]
pub(crate) struct ReadOptions {
    pub(crate) filter: Option<Condition>,
    pub(crate) limit: Option<usize>,
    pub(crate) page_size: Option<i32>,
    pub(crate) consistent: bool,
    pub(crate) start: Option<Cursor>,
}

/// The option setters query, scan and document query share; each builder
/// holds a `ReadOptions` in `self.options`.
macro_rules! read_option_setters {
    () => {
        /// Keeps only items matching `condition` (applied after reading:
        /// filtered items still consume capacity).
        pub fn filter(mut self, condition: $crate::expr::Condition) -> Self {
            self.options.filter = Some(condition);
            self
        }

        /// At most `n` items in total.
        pub fn limit(mut self, n: usize) -> Self {
            self.options.limit = Some(n);
            self
        }

        /// Items DynamoDB reads per request (its `Limit`).
        pub fn page_size(mut self, n: u32) -> Self {
            self.options.page_size = Some(i32::try_from(n.max(1)).unwrap_or(i32::MAX));
            self
        }

        /// Strongly consistent reads. Refused on global secondary indexes,
        /// which DynamoDB cannot read consistently.
        pub fn consistent(mut self) -> Self {
            self.options.consistent = true;
            self
        }

        /// Continues where a previous page stopped.
        pub fn start_from(mut self, cursor: $crate::read::Cursor) -> Self {
            self.options.start = Some(cursor);
            self
        }
    };
}
pub(crate) use read_option_setters;

/// A handle on one secondary index of a table: `users.index::<ByZip>()`.
pub struct IndexHandle<'a, T, I> {
    pub(crate) table: &'a Table<T>,
    _index: PhantomData<fn() -> I>,
}

impl<T: DynamoItem> Table<T> {
    /// Queries the table: all items with this partition key, in sort key order.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # use futures::TryStreamExt;
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, #[dynamo(range_key)] joined: i64 }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let recent: Vec<User> = users
    ///     .query("john")
    ///     .range_between(1366056000, 1366057000)
    ///     .reverse()
    ///     .limit(10)
    ///     .all()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn query(&self, hash: impl KeyArg<T::HashKey>) -> Query<'_, T, PrimaryIndex<T>, T> {
        Query::new(self, hash.into_key())
    }

    /// A secondary index, typed by the marker `#[dynamo(gsi(...))]` / `lsi(...)` generated.
    pub fn index<I: QueryTarget<Item = T>>(&self) -> IndexHandle<'_, T, I> {
        IndexHandle {
            table: self,
            _index: PhantomData,
        }
    }
}

impl<'a, T: DynamoItem, I: QueryTarget<Item = T>> IndexHandle<'a, T, I> {
    /// Queries the index by its partition key.
    pub fn query(&self, hash: impl KeyArg<I::Hash>) -> Query<'a, T, I, T> {
        Query::new(self.table, hash.into_key())
    }

    /// Scans the index.
    pub fn scan(&self) -> crate::scan::Scan<'a, T, T> {
        crate::scan::Scan::new(self.table, I::INDEX_NAME, I::GLOBAL)
    }
}

/// A `Query` request; see [`Table::query`] and [`IndexHandle::query`].
/// Run it with [`stream`](Self::stream), [`all`](Self::all),
/// [`pages`](Self::pages), [`first`](Self::first) or [`count`](Self::count).
#[must_use = "a query does nothing until it is run"]
pub struct Query<'a, T, I, P> {
    table: &'a Table<T>,
    hash: Result<AttributeValue>,
    range: Option<Result<SortKeyCondition>>,
    forward: bool,
    options: ReadOptions,
    _types: PhantomData<fn() -> (I, P)>,
}

fn encode_range<R: IntoAttribute>(value: &R) -> Result<AttributeValue> {
    Ok(value.to_attribute()?)
}

impl<'a, T: DynamoItem, I: QueryTarget<Item = T>> Query<'a, T, I, T> {
    fn new(table: &'a Table<T>, hash: I::Hash) -> Self {
        Self {
            table,
            hash: hash.to_attribute().map_err(Error::from),
            range: None,
            forward: true,
            options: ReadOptions::default(),
            _types: PhantomData,
        }
    }
}

impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: DynamoItem,
    I: QueryTarget<Item = T>,
{
    fn range(mut self, make: impl FnOnce() -> Result<SortKeyCondition>) -> Self {
        self.range = Some(make());
        self
    }

    /// Sort key `= value`.
    pub fn range_eq(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = value.into_key();
        self.range(|| Ok(SortKeyCondition::Eq(encode_range(&v)?)))
    }

    /// Sort key `< value`.
    pub fn range_lt(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = value.into_key();
        self.range(|| Ok(SortKeyCondition::Lt(encode_range(&v)?)))
    }

    /// Sort key `<= value`.
    pub fn range_le(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = value.into_key();
        self.range(|| Ok(SortKeyCondition::Le(encode_range(&v)?)))
    }

    /// Sort key `> value`.
    pub fn range_gt(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = value.into_key();
        self.range(|| Ok(SortKeyCondition::Gt(encode_range(&v)?)))
    }

    /// Sort key `>= value`.
    pub fn range_ge(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = value.into_key();
        self.range(|| Ok(SortKeyCondition::Ge(encode_range(&v)?)))
    }

    /// Sort key `BETWEEN low AND high` (inclusive).
    pub fn range_between(self, low: impl KeyArg<I::Range>, high: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let (lo, hi) = (low.into_key(), high.into_key());
        self.range(|| {
            Ok(SortKeyCondition::Between(
                encode_range(&lo)?,
                encode_range(&hi)?,
            ))
        })
    }

    /// Sort key `begins_with(prefix)`; string and binary sort keys only.
    pub fn range_begins_with(self, prefix: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let p = prefix.into_key();
        self.range(|| {
            if <I::Range as KeyScalar>::SCALAR_TYPE == ScalarType::N {
                return Err(Error::Validation(
                    "begins_with needs a string or binary sort key; this one is a number".into(),
                ));
            }
            Ok(SortKeyCondition::BeginsWith(encode_range(&p)?))
        })
    }
}

impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: DynamoItem,
    I: QueryTarget<Item = T>,
    P: ProjectionOf<T>,
{
    read_option_setters!();

    /// Descending sort key order.
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }

    /// Reads only the attributes of `Q` (a `#[dynamo(projection_of = T)]` struct).
    pub fn project<Q: ProjectionOf<T>>(self) -> Query<'a, T, I, Q> {
        Query {
            table: self.table,
            hash: self.hash,
            range: self.range,
            forward: self.forward,
            options: self.options,
            _types: PhantomData,
        }
    }

    fn request(self) -> Result<ReadRequest> {
        if self.options.consistent && I::GLOBAL {
            return Err(Error::Validation(format!(
                "consistent reads are not supported on global secondary index {}",
                I::INDEX_NAME.unwrap_or("?")
            )));
        }
        let mut attrs = ExpressionAttributes::new();
        let hash = self.hash?;
        crate::limits::check_key_value(I::HASH_KEY.name, Some(&hash))?;
        let range = self.range.transpose()?;
        let range_name = I::RANGE_KEY.map(|k| k.name).unwrap_or_default();
        let key_condition = render_key_condition(
            I::HASH_KEY.name,
            hash,
            range.as_ref().map(|r| (range_name, r)),
            &mut attrs,
        );
        build_request(
            self.table,
            ReadKind::Query {
                key_condition,
                forward: self.forward,
            },
            I::INDEX_NAME,
            self.options,
            projection::<T, P>(),
            attrs,
        )
    }

    /// The items as a stream that fetches pages lazily (one page in memory).
    pub fn stream(self) -> impl Stream<Item = Result<P>> + Send + 'static + use<T, I, P> {
        match self.request() {
            Ok(req) => futures::future::Either::Left(req.items::<P>()),
            Err(e) => futures::future::Either::Right(futures::stream::once(async { Err(e) })),
        }
    }

    /// The pages, each with the cursor to resume after it.
    pub fn pages(self) -> impl Stream<Item = Result<Page<P>>> + Send + 'static + use<T, I, P> {
        match self.request() {
            Ok(req) => futures::future::Either::Left(req.pages::<P>()),
            Err(e) => futures::future::Either::Right(futures::stream::once(async { Err(e) })),
        }
    }

    /// All items in a `Vec`.
    pub async fn all(self) -> Result<Vec<P>> {
        self.stream().try_collect().await
    }

    /// The first item.
    pub async fn first(self) -> Result<Option<P>> {
        let mut s = std::pin::pin!(self.limit(1).stream());
        s.try_next().await
    }

    /// How many items match (`Select COUNT` over all pages; the seed's `query_count`).
    pub async fn count(self) -> Result<u64> {
        self.request()?.count().await
    }
}

pub(crate) fn projection<T: DynamoItem, P: ProjectionOf<T>>() -> Option<Vec<&'static str>> {
    (std::any::TypeId::of::<P>() != std::any::TypeId::of::<T>()).then(projection_names::<P>)
}

pub(crate) fn build_request<T>(
    table: &Table<T>,
    kind: ReadKind,
    index: Option<&'static str>,
    options: ReadOptions,
    projection: Option<Vec<&'static str>>,
    mut attrs: ExpressionAttributes,
) -> Result<ReadRequest> {
    let filter = match &options.filter {
        Some(c) => Some(c.render(&mut attrs)?),
        None => None,
    };
    let projection = projection.map(|names| attrs.projection(&names));
    let (names, values) = attrs.into_parts();
    Ok(ReadRequest {
        client: table.client().clone(),
        table: table.name().to_owned(),
        kind,
        index,
        filter,
        projection,
        names,
        values,
        consistent: options.consistent,
        page_size: options.page_size,
        limit: options.limit,
        start: options.start.map(Cursor::into_item),
        count_only: false,
    })
}
