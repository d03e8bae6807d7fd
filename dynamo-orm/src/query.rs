//! Queries: typed by the table's (or an index's) keys for derived items, by
//! attribute values for [`Document`] tables, on the one read engine.

use std::borrow::Cow;
use std::marker::PhantomData;

use futures::stream::TryStreamExt;

use crate::AttributeValue;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::expr::{
    AttrKind, ExpressionAttributes, Prefixable, SortKeyCondition, render_key_condition,
};
use crate::key::KeyArg;
use crate::op::model::Model;
use crate::op::output::{BoxFuture, Executable, Output, into_future};
use crate::op::read::{
    IndexRef, ItemStream, PageStream, QueryBuilder, ReadKind, ReadOptions, ReadRequest, Untyped,
    projection, read_option_setters,
};
use crate::op::target::KeyNames;
use crate::schema::{
    DynamoItem, IndexKind, PrimaryIndex, ProjectionOf, QueryTarget, ReadableFrom, SortKey,
};
use crate::table::Table;
use crate::value::IntoAttribute;

/// A handle on one secondary index of a table: `users.index::<ByZip>()`.
///
/// The handle reads `P`: the whole item by default, or a projection chosen
/// with [`project`](Self::project). Reading a whole item from an index that
/// does not project all of its required attributes (`keys_only`, `include`)
/// does not compile:
///
/// ```compile_fail,E0277
/// # use dynamo_orm::{DynamoItem, Table};
/// # #[derive(DynamoItem)]
/// # #[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
/// # struct User { #[dynamo(hash_key)] username: String, email: String, city: String }
/// # fn demo(users: Table<User>) {
/// let _ = users.index::<ByEmail>().query("ann@example.com"); // `city` is not in the index
/// # }
/// ```
///
/// ```no_run
/// # use dynamo_orm::{DynamoAttribute, DynamoItem, Table};
/// # #[derive(DynamoItem)]
/// # #[dynamo(table = "users", gsi(ByEmail, hash = email, projection = keys_only))]
/// # struct User { #[dynamo(hash_key)] username: String, email: String, city: String }
/// #[derive(DynamoAttribute)]
/// #[dynamo(projection_of = User)]
/// struct Login { username: String, email: String }
/// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
/// let logins: Vec<Login> = users.index::<ByEmail>().project::<Login>().query("ann@example.com").await?;
/// # Ok(()) }
/// ```
pub struct IndexHandle<'a, T, I, P = T> {
    pub(crate) table: &'a Table<T>,
    _index: PhantomData<fn() -> (I, P)>,
}

/// The index a typed query target reads (`None` for the table itself).
pub(crate) fn index_ref<I: QueryTarget>() -> Option<IndexRef> {
    I::INDEX_NAME.map(|name| IndexRef {
        name: Cow::Borrowed(name),
        keys: KeyNames {
            hash: I::HASH_KEY.name.to_owned(),
            range: I::RANGE_KEY.map(|k| k.name.to_owned()),
        },
        global: I::GLOBAL,
        types: (
            Some(I::HASH_KEY.scalar_type),
            I::RANGE_KEY.map(|k| k.scalar_type),
        ),
    })
}

impl<T: DynamoItem> Table<T> {
    /// Queries the table: all items with this partition key, in sort key order.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, #[dynamo(range_key)] joined: i64 }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let recent: Vec<User> = users
    ///     .query("john")
    ///     .range_between(1366056000, 1366057000)
    ///     .reverse()
    ///     .limit(10)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn query(&self, hash: impl KeyArg<T::HashKey>) -> Query<'_, T, PrimaryIndex<T>, T> {
        Query::new(
            self,
            None,
            hash.into_key().to_attribute().map_err(Error::from),
        )
    }

    /// A secondary index, typed by the marker `#[dynamo(gsi(...))]` / `lsi(...)` generated.
    pub fn index<I: QueryTarget<Item = T>>(&self) -> IndexHandle<'_, T, I> {
        IndexHandle {
            table: self,
            _index: PhantomData,
        }
    }
}

impl<'a, T: DynamoItem, I: QueryTarget<Item = T>, P> IndexHandle<'a, T, I, P> {
    /// Reads `Q` (a `#[dynamo(projection_of = T)]` struct) from the index
    /// instead of the whole item.
    pub fn project<Q: ProjectionOf<T> + ReadableFrom<I>>(&self) -> IndexHandle<'a, T, I, Q> {
        IndexHandle {
            table: self.table,
            _index: PhantomData,
        }
    }

    /// Queries the index by its partition key.
    pub fn query(&self, hash: impl KeyArg<I::Hash>) -> Query<'a, T, I, P>
    where
        P: ReadableFrom<I>,
    {
        Query::new(
            self.table,
            index_ref::<I>(),
            hash.into_key().to_attribute().map_err(Error::from),
        )
    }

    /// Scans the index.
    pub fn scan(&self) -> crate::scan::Scan<'a, T, P, I>
    where
        P: ReadableFrom<I>,
    {
        crate::scan::Scan::new(self.table, index_ref::<I>())
    }
}

impl Table<Document> {
    /// Queries by partition key value (of the table, or of an index chosen
    /// with [`Query::index`]).
    ///
    /// ```no_run
    /// # use dynamo_orm::{Document, Table};
    /// # async fn demo(docs: Table<Document>) -> dynamo_orm::Result<()> {
    /// let johns: Vec<Document> = docs.query("john").range_gt(1366000000).limit(10).await?;
    /// # Ok(()) }
    /// ```
    pub fn query(&self, hash: impl IntoAttribute) -> Query<'_, Document, Untyped, Document> {
        Query::new(self, None, hash.to_attribute().map_err(Error::from))
    }
}

/// A `Query` request; see [`Table::query`] and [`IndexHandle::query`].
/// `.await` it for all items in a `Vec`, or run it with
/// [`stream`](Self::stream), [`pages`](Self::pages), [`first`](Self::first)
/// or [`count`](Self::count).
#[must_use = "a query does nothing until it is run"]
pub struct Query<'a, T, I, P> {
    table: &'a Table<T>,
    index: Result<Option<IndexRef>>,
    hash: Result<AttributeValue>,
    range: Option<Result<SortKeyCondition>>,
    forward: bool,
    options: ReadOptions,
    _types: PhantomData<fn() -> (I, P)>,
}

impl<'a, T, I, P> Query<'a, T, I, P> {
    fn new(table: &'a Table<T>, index: Option<IndexRef>, hash: Result<AttributeValue>) -> Self {
        Self {
            table,
            index: Ok(index),
            hash,
            range: None,
            forward: true,
            options: ReadOptions::default(),
            _types: PhantomData,
        }
    }

    fn retype<Q>(self) -> Query<'a, T, I, Q> {
        Query {
            table: self.table,
            index: self.index,
            hash: self.hash,
            range: self.range,
            forward: self.forward,
            options: self.options,
            _types: PhantomData,
        }
    }

    fn range(mut self, condition: Result<SortKeyCondition>) -> Self {
        self.range = Some(condition);
        self
    }
}

fn encode<V: IntoAttribute + ?Sized>(value: &V) -> Result<AttributeValue> {
    Ok(value.to_attribute()?)
}

/// Sort key conditions, typed by the sort key of the table or index.
impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: DynamoItem,
    I: QueryTarget<Item = T>,
{
    /// Sort key `= value`.
    pub fn range_eq(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&value.into_key()).map(SortKeyCondition::Eq);
        self.range(v)
    }

    /// Sort key `< value`.
    pub fn range_lt(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&value.into_key()).map(SortKeyCondition::Lt);
        self.range(v)
    }

    /// Sort key `<= value`.
    pub fn range_le(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&value.into_key()).map(SortKeyCondition::Le);
        self.range(v)
    }

    /// Sort key `> value`.
    pub fn range_gt(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&value.into_key()).map(SortKeyCondition::Gt);
        self.range(v)
    }

    /// Sort key `>= value`.
    pub fn range_ge(self, value: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&value.into_key()).map(SortKeyCondition::Ge);
        self.range(v)
    }

    /// Sort key `BETWEEN low AND high` (inclusive).
    pub fn range_between(self, low: impl KeyArg<I::Range>, high: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey,
    {
        let v = encode(&low.into_key())
            .and_then(|lo| Ok(SortKeyCondition::Between(lo, encode(&high.into_key())?)));
        self.range(v)
    }

    /// Sort key `begins_with(prefix)`; string and binary sort keys only (a
    /// numeric sort key does not compile).
    ///
    /// ```compile_fail,E0277
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # #[derive(DynamoItem)] #[dynamo(table = "events")]
    /// # struct Event { #[dynamo(hash_key)] user: String, #[dynamo(range_key)] at: i64 }
    /// # fn demo(events: Table<Event>) {
    /// let _ = events.query("ann").range_begins_with(13);
    /// # }
    /// ```
    pub fn range_begins_with(self, prefix: impl KeyArg<I::Range>) -> Self
    where
        I::Range: SortKey + AttrKind,
        <I::Range as AttrKind>::Kind: Prefixable,
    {
        let v = encode(&prefix.into_key()).map(SortKeyCondition::BeginsWith);
        self.range(v)
    }
}

impl<'a, T: DynamoItem, I, P> Query<'a, T, I, P> {
    /// Reads only the attributes of `Q` (a `#[dynamo(projection_of = T)]` struct).
    pub fn project<Q: ProjectionOf<T> + ReadableFrom<I>>(self) -> Query<'a, T, I, Q> {
        self.retype()
    }
}

/// Sort key conditions and indexes of a [`Document`] table, by value.
impl<'a, P> Query<'a, Document, Untyped, P> {
    /// Queries the index of this name instead of the table (its keys come
    /// from the table's description).
    pub fn index(mut self, name: &str) -> Self {
        let target = &self.table.target;
        self.index = match target.index(name) {
            Some(i) => Ok(Some(IndexRef {
                name: i.name.clone(),
                keys: i.keys.clone(),
                global: i.kind == IndexKind::Global,
                types: i.types,
            })),
            None => Err(Error::Validation(format!(
                "table {} has no index named {name:?}",
                target.name
            ))),
        };
        self
    }

    /// A sort key condition built by hand.
    pub fn range_condition(self, condition: SortKeyCondition) -> Self {
        self.range(Ok(condition))
    }

    /// Sort key `= value`.
    pub fn range_eq(self, value: impl IntoAttribute) -> Self {
        let v = encode(&value).map(SortKeyCondition::Eq);
        self.range(v)
    }

    /// Sort key `< value`.
    pub fn range_lt(self, value: impl IntoAttribute) -> Self {
        let v = encode(&value).map(SortKeyCondition::Lt);
        self.range(v)
    }

    /// Sort key `<= value`.
    pub fn range_le(self, value: impl IntoAttribute) -> Self {
        let v = encode(&value).map(SortKeyCondition::Le);
        self.range(v)
    }

    /// Sort key `> value`.
    pub fn range_gt(self, value: impl IntoAttribute) -> Self {
        let v = encode(&value).map(SortKeyCondition::Gt);
        self.range(v)
    }

    /// Sort key `>= value`.
    pub fn range_ge(self, value: impl IntoAttribute) -> Self {
        let v = encode(&value).map(SortKeyCondition::Ge);
        self.range(v)
    }

    /// Sort key `BETWEEN low AND high` (inclusive).
    pub fn range_between(self, low: impl IntoAttribute, high: impl IntoAttribute) -> Self {
        let v = encode(&low).and_then(|lo| Ok(SortKeyCondition::Between(lo, encode(&high)?)));
        self.range(v)
    }

    /// Sort key `begins_with(prefix)`.
    pub fn range_begins_with(self, prefix: impl IntoAttribute) -> Self {
        let v = encode(&prefix).map(SortKeyCondition::BeginsWith);
        self.range(v)
    }
}

impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: Model,
    I: 'static,
    P: ProjectionOf<T>,
{
    read_option_setters!();

    /// Descending sort key order.
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }

    /// Reads only these attributes, chosen at run time, as [`Document`]s.
    pub fn project_names<N: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = N>,
    ) -> Query<'a, T, I, Document> {
        self.options.names = Some(names.into_iter().map(Into::into).collect());
        self.retype()
    }

    /// Changes each SDK request before it is sent (once per page): an escape
    /// hatch for what this builder does not offer.
    pub fn customize(
        mut self,
        f: impl Fn(QueryBuilder) -> QueryBuilder + Send + Sync + 'static,
    ) -> Self {
        self.options.customize_query = Some(std::sync::Arc::new(f));
        self
    }

    /// How many items match (`Select COUNT` over all pages).
    pub async fn count(self) -> Result<u64> {
        self.request()?.count().await
    }

    fn request(self) -> Result<ReadRequest> {
        let index = self.index?;
        let (hash_name, range_name) = match &index {
            Some(i) => (i.keys.hash.clone(), i.keys.range.clone()),
            None => (
                self.table.target.keys.hash.clone(),
                self.table.target.keys.range.clone(),
            ),
        };
        let hash = self.hash?;
        crate::limits::check_key_value(&hash_name, Some(&hash))?;
        let range = self.range.transpose()?;
        let range = match (range, range_name) {
            (Some(c), Some(name)) => Some((name, c)),
            (Some(_), None) => {
                return Err(Error::Validation(
                    "a sort key condition on a key schema without a sort key".into(),
                ));
            }
            (None, _) => None,
        };
        let mut attrs = ExpressionAttributes::new();
        let key_condition = render_key_condition(
            &hash_name,
            hash,
            range.as_ref().map(|(n, c)| (n.as_str(), c)),
            &mut attrs,
        );
        ReadRequest::build(
            self.table.target.clone(),
            ReadKind::Query {
                key_condition,
                forward: self.forward,
            },
            index,
            self.options,
            projection::<T, P>(),
            attrs,
        )
    }
}

/// Running a query.
impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: Model,
    I: 'static,
    P: ProjectionOf<T>,
{
    /// The items as a stream that fetches pages lazily (one page in
    /// memory). An item that fails to decode is one `Err` naming its key; the
    /// stream goes on after it.
    pub fn stream(self) -> ItemStream<P> {
        match self.request() {
            Ok(req) => req.items::<P>(P::__decode),
            Err(e) => ItemStream::failed(e),
        }
    }

    /// The pages, each with the cursor to resume after it.
    pub fn pages(self) -> PageStream<P> {
        match self.request() {
            Ok(req) => req.pages::<P>(P::__decode),
            Err(e) => PageStream::failed(e),
        }
    }

    /// All items in a `Vec` (the same as `.await`); fails on the first item
    /// that does not decode.
    pub async fn all(self) -> Result<Vec<P>> {
        self.stream().try_collect().await
    }

    /// The first item.
    pub async fn first(self) -> Result<Option<P>> {
        let mut s = self.limit(1).stream();
        s.try_next().await
    }
}

impl<'a, T, I, P> Executable<'a> for Query<'a, T, I, P>
where
    T: Model,
    I: 'static,
    P: ProjectionOf<T>,
{
    type Value = Vec<P>;
    fn execute(self) -> BoxFuture<'a, Result<Output<Vec<P>>>> {
        Box::pin(async move { self.all().await.map(Output::new) })
    }
}
into_future!(Query<'a, T, I, P> where T: Model, I: 'static, P: ProjectionOf<T>);
