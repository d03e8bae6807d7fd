//! The paging engine shared by query and scan: one request shape, lazily
//! fetched pages, a resumable [`Cursor`].

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, Select};
use futures::stream::{self, Stream, TryStreamExt};
use tracing::Instrument;

use crate::error::Result;
use crate::items::{log_capacity, span};
use crate::sdk::map_sdk_error;
use crate::value::AttributeMap;
use crate::{AttributeValue, Item};

/// Where a paged read stopped (DynamoDB's `LastEvaluatedKey`): hand it back to
/// `start_from` to continue.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor(Item);

impl Cursor {
    /// The key attributes of the last item read.
    pub fn as_item(&self) -> &Item {
        &self.0
    }

    /// The raw `LastEvaluatedKey`.
    pub fn into_item(self) -> Item {
        self.0
    }

    /// A cursor from a raw `LastEvaluatedKey` (for example one a client sent back).
    pub fn from_item(item: Item) -> Self {
        Self(item)
    }
}

/// One page of results.
#[derive(Debug)]
pub struct Page<P> {
    /// The items of this page (after filtering).
    pub items: Vec<P>,
    /// Where to continue; `None` on the last page.
    pub cursor: Option<Cursor>,
    /// Items DynamoDB read for this page before filtering.
    pub scanned_count: i32,
    /// Capacity units the page consumed, when DynamoDB reported them.
    pub consumed_capacity: Option<f64>,
}

/// Query or scan; everything but the paging state.
#[derive(Clone, Debug)]
pub(crate) struct ReadRequest {
    pub(crate) client: Client,
    pub(crate) table: String,
    pub(crate) kind: ReadKind,
    pub(crate) index: Option<&'static str>,
    pub(crate) filter: Option<String>,
    pub(crate) projection: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
    pub(crate) consistent: bool,
    pub(crate) page_size: Option<i32>,
    pub(crate) limit: Option<usize>,
    pub(crate) start: Option<Item>,
    pub(crate) count_only: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum ReadKind {
    Query {
        key_condition: String,
        forward: bool,
    },
    Scan {
        segment: Option<(i32, i32)>,
    },
}

pub(crate) struct RawPage {
    items: Vec<Item>,
    last_key: Option<Item>,
    count: i32,
    scanned: i32,
    capacity: Option<f64>,
}

impl ReadRequest {
    async fn fetch(&self, start: Option<Item>, limit: Option<i32>) -> Result<RawPage> {
        let select = self.count_only.then_some(Select::Count);
        match &self.kind {
            ReadKind::Query {
                key_condition,
                forward,
            } => {
                let out = self
                    .client
                    .query()
                    .table_name(&self.table)
                    .set_index_name(self.index.map(str::to_owned))
                    .key_condition_expression(key_condition)
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .consistent_read(self.consistent)
                    .scan_index_forward(*forward)
                    .set_limit(limit)
                    .set_exclusive_start_key(start)
                    .set_select(select)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .instrument(span(&self.table, "Query"))
                    .await
                    .map_err(map_sdk_error)?;
                log_capacity(out.consumed_capacity());
                Ok(RawPage {
                    capacity: out.consumed_capacity().and_then(|c| c.capacity_units()),
                    count: out.count,
                    scanned: out.scanned_count,
                    items: out.items.unwrap_or_default(),
                    last_key: out.last_evaluated_key.filter(|k| !k.is_empty()),
                })
            }
            ReadKind::Scan { segment } => {
                let out = self
                    .client
                    .scan()
                    .table_name(&self.table)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .consistent_read(self.consistent)
                    .set_limit(limit)
                    .set_exclusive_start_key(start)
                    .set_segment(segment.map(|s| s.0))
                    .set_total_segments(segment.map(|s| s.1))
                    .set_select(select)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .instrument(span(&self.table, "Scan"))
                    .await
                    .map_err(map_sdk_error)?;
                log_capacity(out.consumed_capacity());
                Ok(RawPage {
                    capacity: out.consumed_capacity().and_then(|c| c.capacity_units()),
                    count: out.count,
                    scanned: out.scanned_count,
                    items: out.items.unwrap_or_default(),
                    last_key: out.last_evaluated_key.filter(|k| !k.is_empty()),
                })
            }
        }
    }

    /// The per-request `Limit`: the page size, lowered to what is left of the
    /// total limit so a cursor taken after the last page resumes exactly there.
    fn request_limit(&self, remaining: Option<usize>) -> Option<i32> {
        let rem = remaining.map(|r| i32::try_from(r).unwrap_or(i32::MAX));
        match (self.page_size, rem) {
            (Some(p), Some(r)) => Some(p.min(r)),
            (p, r) => p.or(r),
        }
    }

    /// Pages, fetched one at a time as the stream is polled.
    pub(crate) fn pages<P: AttributeMap + Send + 'static>(
        self,
    ) -> impl Stream<Item = Result<Page<P>>> + Send + 'static {
        struct State {
            req: ReadRequest,
            start: Option<Item>,
            remaining: Option<usize>,
            done: bool,
        }
        let state = State {
            start: self.start.clone(),
            remaining: self.limit,
            done: self.limit == Some(0),
            req: self,
        };
        stream::try_unfold(state, |mut st| async move {
            if st.done {
                return Ok(None);
            }
            let limit = st.req.request_limit(st.remaining);
            let raw = st.req.fetch(st.start.take(), limit).await?;
            let mut items = Vec::with_capacity(raw.items.len());
            for item in raw.items {
                items.push(P::from_map(item)?);
            }
            if let Some(rem) = &mut st.remaining {
                *rem = rem.saturating_sub(items.len());
                if *rem == 0 {
                    st.done = true;
                }
            }
            if raw.last_key.is_none() {
                st.done = true;
            }
            st.start.clone_from(&raw.last_key);
            let page = Page {
                items,
                cursor: raw.last_key.map(Cursor),
                scanned_count: raw.scanned,
                consumed_capacity: raw.capacity,
            };
            Ok(Some((page, st)))
        })
    }

    /// Items, one page in memory at a time.
    pub(crate) fn items<P: AttributeMap + Send + 'static>(
        self,
    ) -> impl Stream<Item = Result<P>> + Send + 'static {
        self.pages::<P>()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// `Select COUNT` over all pages.
    pub(crate) async fn count(mut self) -> Result<u64> {
        self.count_only = true;
        self.projection = None;
        let mut total: u64 = 0;
        let mut start = self.start.take();
        let mut remaining = self.limit;
        loop {
            let raw = self
                .fetch(start.take(), self.request_limit(remaining))
                .await?;
            let n = u64::try_from(raw.count).unwrap_or(0);
            total += n;
            if let Some(rem) = &mut remaining {
                *rem = rem.saturating_sub(usize::try_from(n).unwrap_or(usize::MAX));
                if *rem == 0 {
                    return Ok(total);
                }
            }
            match raw.last_key {
                Some(k) => start = Some(k),
                None => return Ok(total),
            }
        }
    }
}
