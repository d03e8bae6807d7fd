//! Scans: sequential, one segment, or `parallel(n)` segments merged into one
//! stream, of the table or of an index, on the one read engine.

use std::marker::PhantomData;

use futures::stream::{self, StreamExt, TryStreamExt};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::expr::ExpressionAttributes;
use crate::op::model::{Model, with_read_filter};
use crate::op::output::{BoxFuture, Executable, Output, into_future};
use crate::op::read::{
    IndexRef, ItemStream, PageStream, ReadKind, ReadOptions, ReadRequest, ScanBuilder, Untyped,
    projection, read_option_setters,
};
use crate::schema::{IndexKind, PrimaryIndex, ProjectionOf, ReadableFrom};
use crate::table::Table;

/// A `Scan` request; see [`Table::scan`]. `.await` it for all items in a
/// `Vec`, or run it with [`stream`](Self::stream), [`pages`](Self::pages) or
/// [`count`](Self::count).
#[must_use = "a scan does nothing until it is run"]
pub struct Scan<'a, T, P, I = PrimaryIndex<T>> {
    table: &'a Table<T>,
    index: Result<Option<IndexRef>>,
    segment: Option<(u32, u32)>,
    parallel: Option<u32>,
    options: ReadOptions,
    _projection: PhantomData<fn() -> (P, I)>,
}

impl<T: Model> Table<T> {
    /// Reads every item of the table.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # use futures::TryStreamExt;
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, active: bool }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut stream = users.scan().filter(User::FIELDS.active.eq(true)).parallel(4).stream();
    /// while let Some(user) = stream.try_next().await? {
    ///     println!("{}", user.username);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn scan(&self) -> Scan<'_, T, T> {
        Scan::new(self, None)
    }
}

impl<'a, T, P, I> Scan<'a, T, P, I> {
    pub(crate) fn new(table: &'a Table<T>, index: Option<IndexRef>) -> Self {
        Scan {
            table,
            index: Ok(index),
            segment: None,
            parallel: None,
            options: ReadOptions::default(),
            _projection: PhantomData,
        }
    }

    /// The same scan read as another projection `Q` or from another index `J`.
    fn recast<Q, J>(self) -> Scan<'a, T, Q, J> {
        Scan {
            table: self.table,
            index: self.index,
            segment: self.segment,
            parallel: self.parallel,
            options: self.options,
            _projection: PhantomData,
        }
    }
}

impl<'a, P> Scan<'a, Document, P, PrimaryIndex<Document>> {
    /// Scans the index of this name instead of the table.
    pub fn index(mut self, name: &str) -> Scan<'a, Document, P, Untyped> {
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
        self.recast()
    }
}

impl<'a, T: crate::schema::DynamoItem, P: ProjectionOf<T>, I> Scan<'a, T, P, I> {
    /// Reads only the attributes of `Q` (a `#[dynamo(projection_of = T)]` struct).
    pub fn project<Q: ProjectionOf<T> + ReadableFrom<I>>(self) -> Scan<'a, T, Q, I> {
        self.recast()
    }
}

impl<'a, T: Model, P: ProjectionOf<T>, I: 'static> Scan<'a, T, P, I> {
    read_option_setters!();

    /// Scans only segment `segment` of `total` (a parallel scan split across
    /// workers).
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        self.segment = Some((segment, total));
        self
    }

    /// Scans `n` segments concurrently and merges them into one stream (item
    /// order across segments is not defined). At most `n` pages are in
    /// memory at a time, one per segment.
    pub fn parallel(mut self, n: u32) -> Self {
        self.parallel = Some(n);
        self
    }

    /// Reads only these attributes, chosen at run time, as [`Document`]s.
    pub fn project_names<N: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = N>,
    ) -> Scan<'a, T, Document, I> {
        self.options.names = Some(names.into_iter().map(Into::into).collect());
        self.recast()
    }

    /// Changes each SDK request before it is sent (once per page).
    pub fn customize(
        mut self,
        f: impl Fn(ScanBuilder) -> ScanBuilder + Send + Sync + 'static,
    ) -> Self {
        self.options.customize_scan = Some(std::sync::Arc::new(f));
        self
    }

    /// How many items match (`Select COUNT` over all pages and segments).
    pub async fn count(self) -> Result<u64> {
        let reqs = self.requests()?;
        let counts =
            futures::future::try_join_all(reqs.into_iter().map(ReadRequest::count)).await?;
        Ok(counts.into_iter().sum())
    }

    fn request(&self, segment: Option<(u32, u32)>, options: ReadOptions) -> Result<ReadRequest> {
        let segment = match segment {
            Some((s, total)) => {
                if total == 0 || total > 1_000_000 || s >= total {
                    return Err(Error::Validation(format!(
                        "segment {s} of {total}: need 0 <= segment < total <= 1000000"
                    )));
                }
                Some((
                    i32::try_from(s).unwrap_or(i32::MAX),
                    i32::try_from(total).unwrap_or(i32::MAX),
                ))
            }
            None => None,
        };
        let index = match &self.index {
            Ok(i) => i.clone(),
            Err(e) => return Err(Error::Validation(e.to_string())),
        };
        let mut options = options;
        options.filter = with_read_filter::<T>(options.filter.take());
        ReadRequest::build(
            self.table.target.clone(),
            ReadKind::Scan { segment },
            index,
            options,
            projection::<T, P>(),
            ExpressionAttributes::new(),
        )
    }

    fn requests(self) -> Result<Vec<ReadRequest>> {
        match (self.parallel, self.segment) {
            (Some(_), Some(_)) => Err(Error::Validation(
                "use either segment(i, n) or parallel(n), not both".into(),
            )),
            (Some(n), None) => {
                if self.options.start.is_some() {
                    return Err(Error::Validation(
                        "start_from cannot resume a parallel scan; resume one segment instead"
                            .into(),
                    ));
                }
                let n = n.max(1);
                // The limit is applied to the merged stream, not per segment.
                let mut options = self.options.clone();
                options.limit = None;
                (0..n)
                    .map(|s| self.request(Some((s, n)), options.clone()))
                    .collect()
            }
            (None, segment) => Ok(vec![self.request(segment, self.options.clone())?]),
        }
    }
}

/// Running a scan.
impl<'a, T: Model, P: ProjectionOf<T>, I: 'static> Scan<'a, T, P, I> {
    /// The items, fetched lazily; with `parallel(n)`, n segments at once.
    /// An item that fails to decode is one `Err` naming its key; the stream
    /// goes on after it.
    pub fn stream(self) -> ItemStream<P> {
        let limit = self.options.limit;
        match self.requests() {
            Ok(reqs) if reqs.len() == 1 => match reqs.into_iter().next() {
                Some(req) => req.items::<P>(P::__decode),
                None => ItemStream::new(stream::empty().boxed()),
            },
            Ok(reqs) => {
                let merged =
                    stream::select_all(reqs.into_iter().map(|r| r.items::<P>(P::__decode)));
                ItemStream::new(merged.take(limit.unwrap_or(usize::MAX)).boxed())
            }
            Err(e) => ItemStream::failed(e),
        }
    }

    /// The pages (each segment's pages, interleaved, with `parallel(n)`).
    pub fn pages(self) -> PageStream<P> {
        match self.requests() {
            Ok(reqs) => PageStream::new(
                stream::select_all(reqs.into_iter().map(|r| r.pages::<P>(P::__decode))).boxed(),
            ),
            Err(e) => PageStream::failed(e),
        }
    }

    /// All items in a `Vec` (the same as `.await`); fails on the first item
    /// that does not decode.
    pub async fn all(self) -> Result<Vec<P>> {
        self.stream().try_collect().await
    }
}

impl<'a, T: Model, P: ProjectionOf<T>, I: 'static> Executable<'a> for Scan<'a, T, P, I> {
    type Value = Vec<P>;
    fn execute(self) -> BoxFuture<'a, Result<Output<Vec<P>>>> {
        Box::pin(async move { self.all().await.map(Output::new) })
    }
}
into_future!(Scan<'a, T, P, I> where T: Model, P: ProjectionOf<T>, I: 'static);
