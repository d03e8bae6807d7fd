//! Scans: sequential, one segment, or `parallel(n)` segments merged into one stream.

use std::marker::PhantomData;

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use crate::error::{Error, Result};
use crate::expr::ExpressionAttributes;
use crate::query::{ReadOptions, build_request, projection};
use crate::read::{Page, ReadKind, ReadRequest};
use crate::schema::{DynamoItem, ProjectionOf};
use crate::table::Table;

/// A `Scan` request; see [`Table::scan`].
#[must_use = "a scan does nothing until it is run"]
pub struct Scan<'a, T, P> {
    table: &'a Table<T>,
    index: Option<&'static str>,
    global_index: bool,
    segment: Option<(u32, u32)>,
    parallel: Option<u32>,
    options: ReadOptions,
    _projection: PhantomData<fn() -> P>,
}

impl<T: DynamoItem> Table<T> {
    /// Reads every item of the table.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table};
    /// # use futures::TryStreamExt;
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String, active: bool }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// let mut stream = std::pin::pin!(users.scan().filter(User::FIELDS.active.eq(true)).parallel(4).stream());
    /// while let Some(user) = stream.try_next().await? {
    ///     println!("{}", user.username);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn scan(&self) -> Scan<'_, T, T> {
        Scan::new(self, None, false)
    }
}

impl<'a, T: DynamoItem> Scan<'a, T, T> {
    pub(crate) fn new(table: &'a Table<T>, index: Option<&'static str>, global: bool) -> Self {
        Scan {
            table,
            index,
            global_index: global,
            segment: None,
            parallel: None,
            options: ReadOptions::default(),
            _projection: PhantomData,
        }
    }
}

impl<'a, T: DynamoItem, P: ProjectionOf<T>> Scan<'a, T, P> {
    crate::query::read_option_setters!();

    /// Scans only segment `segment` of `total` (the seed's `segment` / `total_segments`).
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        self.segment = Some((segment, total));
        self
    }

    /// Scans `n` segments concurrently and merges them into one stream
    /// (item order across segments is not defined).
    pub fn parallel(mut self, n: u32) -> Self {
        self.parallel = Some(n);
        self
    }

    /// Reads only the attributes of `Q`.
    pub fn project<Q: ProjectionOf<T>>(self) -> Scan<'a, T, Q> {
        Scan {
            table: self.table,
            index: self.index,
            global_index: self.global_index,
            segment: self.segment,
            parallel: self.parallel,
            options: self.options,
            _projection: PhantomData,
        }
    }

    fn request(&self, segment: Option<(u32, u32)>) -> Result<ReadRequest> {
        if self.options.consistent && self.global_index {
            return Err(Error::Validation(
                "consistent reads are not supported on global secondary indexes".into(),
            ));
        }
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
        build_request(
            self.table,
            ReadKind::Scan { segment },
            self.index,
            self.options.clone(),
            projection::<T, P>(),
            ExpressionAttributes::new(),
        )
    }

    fn requests(&self) -> Result<Vec<ReadRequest>> {
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
                (0..n).map(|s| self.request(Some((s, n)))).collect()
            }
            (None, seg) => Ok(vec![self.request(seg)?]),
        }
    }

    /// The items, fetched lazily; with `parallel(n)`, n segments at once.
    pub fn stream(self) -> impl Stream<Item = Result<P>> + Send + 'static + use<T, P> {
        let limit = self.options.limit;
        let merged: BoxStream<'static, Result<P>> = match self.requests() {
            Ok(reqs) if reqs.len() == 1 => reqs
                .into_iter()
                .map(|r| r.items::<P>().boxed())
                .next()
                .unwrap_or_else(|| stream::empty().boxed()),
            Ok(reqs) => {
                stream::select_all(reqs.into_iter().map(|r| r.items::<P>().boxed())).boxed()
            }
            Err(e) => stream::once(async { Err(e) }).boxed(),
        };
        merged.take(limit.unwrap_or(usize::MAX))
    }

    /// The pages (each segment's pages, interleaved, with `parallel(n)`).
    pub fn pages(self) -> impl Stream<Item = Result<Page<P>>> + Send + 'static + use<T, P> {
        match self.requests() {
            Ok(reqs) => {
                stream::select_all(reqs.into_iter().map(|r| r.pages::<P>().boxed())).boxed()
            }
            Err(e) => stream::once(async { Err(e) }).boxed(),
        }
    }

    /// All items in a `Vec`.
    pub async fn all(self) -> Result<Vec<P>> {
        self.stream().try_collect().await
    }

    /// How many items match (`Select COUNT` over all pages and segments).
    pub async fn count(self) -> Result<u64> {
        let reqs = self.requests()?;
        let counts =
            futures::future::try_join_all(reqs.into_iter().map(ReadRequest::count)).await?;
        Ok(counts.into_iter().sum())
    }
}
