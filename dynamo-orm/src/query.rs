//! Queries: typed by the table's (or an index's) keys for derived items, by
//! attribute values for [`Document`] tables, by key template fields for the
//! entities of a shared table and enums of them, on the one read engine.

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
use crate::op::model::{Model, with_read_filter};
use crate::op::output::{BoxFuture, Executable, Output, into_future};
use crate::op::read::{
    IndexRef, ItemStream, PageStream, QueryBuilder, ReadKind, ReadOptions, ReadRequest, Untyped,
    projection, read_option_setters,
};
use crate::op::target::KeyNames;
use crate::schema::{
    AllAttributes, DynamoItem, Entities, EntityIndex, EntityOf, IndexKind, KeyArgs, PartitionOf,
    Primary, PrimaryIndex, ProjectionOf, QueryTarget, ReadableFrom, SortArgs, SortKey, TableIndex,
    TemplatedKey,
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

    fn request(mut self) -> Result<ReadRequest> {
        // An entity's reads carry its discriminator: a query of
        // `Table<Order>` reads orders only.
        self.options.filter = with_read_filter::<T>(self.options.filter.take());
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

// ------------------------------------------------------------------ entities

/// The index a templated query reads: the table's key (`None`) or an index.
fn entity_index_ref<T: EntityIndex<I>, I>() -> Option<IndexRef> {
    T::INDEX_NAME.map(|name| IndexRef {
        name: Cow::Borrowed(name),
        keys: KeyNames {
            hash: T::HASH.attribute.to_owned(),
            range: T::RANGE.map(|k| k.attribute.to_owned()),
        },
        global: T::GLOBAL,
        types: (
            Some(T::HASH.template.output_type()),
            T::RANGE.map(|k| k.template.output_type()),
        ),
    })
}

/// A key attribute rendered from the fields of a generated argument struct.
fn render_args(key: &TemplatedKey, args: &impl KeyArgs) -> Result<AttributeValue> {
    let mut fields = crate::Item::with_capacity(2);
    args.__write_args(&mut fields)?;
    key.template
        .render(|name| fields.get(name))?
        .ok_or_else(|| {
            Error::Validation(format!(
                "the key template {:?} has a field without a value",
                key.template.text
            ))
        })
}

/// The query of an entity on index `I`: its partition, the sort key prefix
/// of its range template, and its discriminator.
fn entity_query<'a, T: EntityIndex<I>, I>(
    table: &'a Table<T>,
    partition: &T::Partition,
) -> Query<'a, T, I, T> {
    let mut query = Query::new(
        table,
        entity_index_ref::<T, I>(),
        render_args(&T::HASH, partition),
    );
    if let Some(range) = T::RANGE {
        let template = range.template;
        if template.is_constant() {
            query.range = Some(Ok(SortKeyCondition::Eq(AttributeValue::S(
                template.prefix().to_owned(),
            ))));
        } else if !template.prefix().is_empty() {
            query.range = Some(Ok(SortKeyCondition::BeginsWith(AttributeValue::S(
                template.prefix().to_owned(),
            ))));
        }
    }
    query
}

impl<T: EntityIndex<Primary>> Table<T> {
    /// Queries one partition for this entity only: the partition key rendered
    /// from the template's fields, the sort key's constant prefix (so other
    /// entities of the partition are not read, where the templates allow),
    /// and a filter on the discriminator. Narrow it with the `sk_*`
    /// conditions, typed by the sort key template's fields.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// #[derive(DynamoItem)]
    /// #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
    /// struct Order { username: String, order_id: String, total: u64 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// // pk = "USER#alice" AND begins_with(sk, "ORDER#"), _type = "Order"
    /// let all: Vec<Order> = orders.query_partition("alice").await?;
    /// // pk = "USER#alice" AND sk BETWEEN "ORDER#a" AND "ORDER#m"
    /// let some: Vec<Order> = orders.query_partition("alice").sk_between("a", "m").await?;
    /// # Ok(()) }
    /// ```
    pub fn query_partition(
        &self,
        partition: impl Into<<T as EntityIndex<Primary>>::Partition>,
    ) -> Query<'_, T, Primary, T> {
        entity_query(self, &partition.into())
    }

    /// Queries a secondary index for this entity only, by the fields of the
    /// entity's partition key template on that index (`index(Gsi1, hash =
    /// "...")`): the sort key's constant prefix when its template has one,
    /// and a filter on the discriminator (an overloaded index holds several
    /// entities). The index must project every attribute
    /// ([`AllAttributes`]).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// #[derive(DynamoTable)]
    /// #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk, range = gsi1sk))]
    /// struct App {
    ///     #[dynamo(hash_key)] pk: String,
    ///     #[dynamo(range_key)] sk: String,
    ///     gsi1pk: String,
    ///     gsi1sk: String,
    /// }
    /// #[derive(DynamoItem)]
    /// #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
    /// #[dynamo(index(Gsi1, hash = "STATUS#{status}", range = "{order_id}"))]
    /// struct Order { username: String, order_id: String, status: String }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let placed: Vec<Order> = orders.query_index::<Gsi1>("placed").await?;
    /// # Ok(()) }
    /// ```
    pub fn query_index<I>(
        &self,
        partition: impl Into<<T as EntityIndex<I>>::Partition>,
    ) -> Query<'_, T, I, T>
    where
        I: TableIndex + AllAttributes,
        T: EntityIndex<I>,
    {
        entity_query(self, &partition.into())
    }
}

/// The fields of the sort key template of `T` on `I` (its `Sort`), named
/// through [`SortArgs`]: on an index without one, a sort key condition is a
/// single error about the missing template.
type SortFields<T, I> = <<T as EntityIndex<I>>::Sort as SortArgs>::Fields;

/// A sort key value rendered from the fields of the sort key template.
fn render_sort<T: EntityIndex<I>, I>(sort: &impl KeyArgs) -> Result<AttributeValue> {
    match T::RANGE {
        Some(range) => render_args(&range, sort),
        None => Err(Error::Validation(
            "a sort key condition on an index without a sort key template".into(),
        )),
    }
}

/// Sort key conditions of entity queries, typed by the fields of the sort key
/// template and rendered with its constant parts (`sk_eq(order_id)` under
/// `"ORDER#{order_id}"` is `sk = "ORDER#<order_id>"`). On an index without
/// a sort key template they do not compile ([`SortArgs`]).
impl<'a, T, I, P> Query<'a, T, I, P>
where
    T: EntityIndex<I>,
{
    /// Sort key `= template(sort)`.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let one: Vec<Order> = orders.query_partition("ann").sk_eq((2024, 7)).await?; // sk = "ORDER#2024#7"
    /// # Ok(()) }
    /// ```
    pub fn sk_eq(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).map(SortKeyCondition::Eq);
        self.range(v)
    }

    /// Sort key `< template(sort)`.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let older: Vec<Order> = orders.query_partition("ann").sk_lt((2024, 1)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_lt(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).map(SortKeyCondition::Lt);
        self.range(v)
    }

    /// Sort key `<= template(sort)`.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let up_to: Vec<Order> = orders.query_partition("ann").sk_le((2024, 9)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_le(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).map(SortKeyCondition::Le);
        self.range(v)
    }

    /// Sort key `> template(sort)`.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let newer: Vec<Order> = orders.query_partition("ann").sk_gt((2023, 99)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_gt(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).map(SortKeyCondition::Gt);
        self.range(v)
    }

    /// Sort key `>= template(sort)`.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let from: Vec<Order> = orders.query_partition("ann").sk_ge((2024, 1)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_ge(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).map(SortKeyCondition::Ge);
        self.range(v)
    }

    /// Sort key `BETWEEN template(low) AND template(high)` (inclusive).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let some: Vec<Order> = orders.query_partition("ann").sk_between((2024, 1), (2024, 9)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_between(
        self,
        low: impl Into<SortFields<T, I>>,
        high: impl Into<SortFields<T, I>>,
    ) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&low.into()).and_then(|low| {
            Ok(SortKeyCondition::Between(
                low,
                render_sort::<T, I>(&high.into())?,
            ))
        });
        self.range(v)
    }

    /// Sort key `begins_with(template(sort))`: the whole rendered value as a
    /// prefix (string sort keys only).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{year}#{number}"))]
    /// # struct Order { username: String, year: u16, number: u32 }
    /// # async fn demo(orders: Table<Order>) -> dynamo_orm::Result<()> {
    /// let seventh: Vec<Order> = orders.query_partition("ann").sk_begins_with((2024, 7)).await?;
    /// # Ok(()) }
    /// ```
    pub fn sk_begins_with(self, sort: impl Into<SortFields<T, I>>) -> Self
    where
        T::Sort: SortArgs,
    {
        let v = render_sort::<T, I>(&sort.into()).and_then(|v| match v {
            AttributeValue::S(_) => Ok(SortKeyCondition::BeginsWith(v)),
            _ => Err(Error::Validation(
                "begins_with needs a string sort key; this template renders a number".into(),
            )),
        });
        self.range(v)
    }
}

/// The hash key of a collection query, from an entity's partition.
fn collection_query<'a, C, I, P>(table: &'a Table<C>, partition: &P) -> Query<'a, C, I, C>
where
    C: Entities,
    P: PartitionOf<I>,
{
    let index = entity_index_ref::<P::Entity, I>();
    Query::new(
        table,
        index,
        render_args(&<P::Entity as EntityIndex<I>>::HASH, partition),
    )
}

impl<C: Entities> Table<C> {
    /// Queries a whole partition, every entity in it, decoded by its
    /// discriminator: an entity's partition (`User::partition("alice")`)
    /// names it. The raw sort key conditions (`range_begins_with`, ...) and
    /// [`grouped`](Query::grouped) apply.
    ///
    /// An item of an entity no variant reads is an error naming its key and
    /// entity (or an `Other` document when the enum has a `#[dynamo(other)]`
    /// variant): nothing is dropped silently.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
    /// # struct User { username: String }
    /// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{order_id}"))]
    /// # struct Order { username: String, order_id: String }
    /// #[derive(DynamoEntities)]
    /// #[dynamo(table = App)]
    /// enum AppItem {
    ///     User(User),
    ///     Order(Order),
    /// }
    /// # async fn demo(items: Table<AppItem>) -> dynamo_orm::Result<()> {
    /// let groups = items.query_collection(User::partition("alice")).grouped().await?;
    /// println!("{} orders", groups.order.len());
    /// # Ok(()) }
    /// ```
    pub fn query_collection<P>(&self, partition: P) -> Query<'_, C, PrimaryIndex<C>, C>
    where
        P: PartitionOf<Primary>,
        P::Entity: EntityOf<C::Table>,
    {
        let query: Query<'_, C, Primary, C> = collection_query(self, &partition);
        query.retype_index()
    }

    /// Queries one partition of a secondary index, every entity in it, by an
    /// entity's partition on that index (`OrderGsi1Partition`). The index
    /// must project every attribute ([`AllAttributes`]).
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app", gsi(Gsi1, hash = gsi1pk))]
    /// # struct App { #[dynamo(hash_key)] pk: String, gsi1pk: String }
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = App, key(hash = "ORDER#{id}"), index(Gsi1, hash = "STATUS#{status}"))]
    /// # struct Order { id: String, status: String }
    /// # #[derive(DynamoEntities)] #[dynamo(table = App)]
    /// # enum AppItem { Order(Order) }
    /// # async fn demo(items: Table<AppItem>) -> dynamo_orm::Result<()> {
    /// let placed: Vec<AppItem> = items
    ///     .query_collection_index::<Gsi1>(OrderGsi1Partition::from("placed"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn query_collection_index<I>(
        &self,
        partition: impl PartitionOf<I, Entity: EntityOf<C::Table>>,
    ) -> Query<'_, C, I, C>
    where
        I: TableIndex + AllAttributes,
    {
        collection_query(self, &partition)
    }
}

impl<'a, T, I, P> Query<'a, T, I, P> {
    fn retype_index<J>(self) -> Query<'a, T, J, P> {
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
}

impl<'a, C, I> Query<'a, C, I, C>
where
    C: Entities,
    I: 'static,
{
    /// Every item, in one `Vec` per variant (`{Enum}Groups`): a user and
    /// their orders from one query.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoEntities, DynamoItem, DynamoTable, Table};
    /// # #[derive(DynamoTable)] #[dynamo(table = "app")]
    /// # struct App { #[dynamo(hash_key)] pk: String, #[dynamo(range_key)] sk: String }
    /// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "PROFILE"))]
    /// # struct User { username: String }
    /// # #[derive(DynamoItem)] #[dynamo(table = App, key(hash = "USER#{username}", range = "ORDER#{id}"))]
    /// # struct Order { username: String, id: String }
    /// # #[derive(DynamoEntities)] #[dynamo(table = App)]
    /// # enum AppItem { User(User), Order(Order) }
    /// # async fn demo(items: Table<AppItem>) -> dynamo_orm::Result<()> {
    /// let ann: AppItemGroups = items.query_collection(User::partition("ann")).grouped().await?;
    /// println!("{} orders", ann.order.len());
    /// # Ok(()) }
    /// ```
    pub async fn grouped(self) -> Result<C::Groups> {
        self.stream().try_collect().await
    }
}
