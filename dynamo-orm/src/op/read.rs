//! The read engine shared by every query and scan, typed or not: the read
//! options, the request they build, lazily fetched pages decoded item by item,
//! and the resumable [`Cursor`].
//!
//! Rules:
//! - `limit(n)` counts items returned (after filtering). Without a filter a
//!   request asks DynamoDB for no more than what is left (`Limit`); with a
//!   filter it does not, since filtered-out items count toward `Limit`: the
//!   page size is then the caller's `page_size` or DynamoDB's 1 MB default.
//! - An item that does not decode is one error in the stream, naming its key;
//!   the stream goes on with the next item.
//! - A cursor taken after the last item returned resumes right after it, even
//!   when `limit` stopped in the middle of a DynamoDB page.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, Select};
use futures::stream::{self, Stream, StreamExt};

use super::call::{self, Customize, QueryOp, ScanOp};
use super::span;
use super::target::{KeyNames, Target};
use crate::error::{DecodeError, Error, Result};
use crate::expr::{Condition, ExpressionAttributes};
use crate::schema::ScalarType;
use crate::{AttributeValue, Item};

pub(crate) type QueryBuilder = aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
pub(crate) type ScanBuilder = aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;

// ------------------------------------------------------------------ cursor

/// Where a paged read stopped: the key of the last item returned (DynamoDB's
/// `LastEvaluatedKey`, or the key of the item a `limit` stopped at). Hand it
/// back to `start_from` to continue.
///
/// [`to_token`](Self::to_token) and [`from_token`](Self::from_token) turn it
/// into an opaque, URL-safe string and back, for web APIs that hand a page
/// token to a browser. A token is checked when it is read back (format and
/// checksum) and when it is used (it must hold exactly the key attributes of
/// the table or index read, with their types): a tampered token is an error,
/// never a wrong page. A token is not encrypted or signed: it shows the key
/// values to whoever holds it.
///
/// ```
/// use dynamo_orm::{AttributeValue, Cursor, Item};
/// let key: Item = [
///     ("username".to_string(), AttributeValue::S("john".into())),
///     ("joined".to_string(), AttributeValue::N("1366056668".into())),
/// ].into();
/// let cursor = Cursor::from_item(key);
/// let token = cursor.to_token();
/// assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
/// assert_eq!(Cursor::from_token(&token)?, cursor);
///
/// let mut tampered = token.into_bytes();
/// tampered[6] ^= 1;
/// assert!(Cursor::from_token(std::str::from_utf8(&tampered).unwrap()).is_err());
/// # Ok::<(), dynamo_orm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor(Item);

const TOKEN_MAGIC: &[u8; 2] = b"D1";

impl Cursor {
    /// The key attributes of the last item read.
    pub fn as_item(&self) -> &Item {
        &self.0
    }

    /// The raw `LastEvaluatedKey`.
    pub fn into_item(self) -> Item {
        self.0
    }

    /// A cursor from a raw `LastEvaluatedKey` (for example one a client sent
    /// back). It is checked against the table's keys when used.
    pub fn from_item(item: Item) -> Self {
        Self(item)
    }

    /// The cursor as an opaque, URL-safe string (base64url, no padding).
    pub fn to_token(&self) -> String {
        let mut names: Vec<&String> = self.0.keys().collect();
        names.sort();
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(TOKEN_MAGIC);
        bytes.push(u8::try_from(names.len()).unwrap_or(u8::MAX));
        for name in names {
            let (tag, value): (u8, &[u8]) = match &self.0[name] {
                AttributeValue::S(s) => (b'S', s.as_bytes()),
                AttributeValue::N(n) => (b'N', n.as_bytes()),
                AttributeValue::B(b) => (b'B', b.as_ref()),
                // Keys are scalars; anything else cannot come from DynamoDB.
                _ => (b'?', &[]),
            };
            push_chunk(&mut bytes, name.as_bytes());
            bytes.push(tag);
            push_chunk(&mut bytes, value);
        }
        let checksum = fnv1a(&bytes);
        bytes.extend_from_slice(&checksum.to_le_bytes());
        base64url_encode(&bytes)
    }

    /// Reads a token made by [`to_token`](Self::to_token).
    ///
    /// # Errors
    /// [`Error::Validation`] when the text is not such a token (malformed,
    /// truncated, or changed: the checksum does not match).
    pub fn from_token(token: &str) -> Result<Self> {
        let bad = |why: &str| Error::Validation(format!("invalid page token: {why}"));
        let bytes = base64url_decode(token).ok_or_else(|| bad("not base64url text"))?;
        if bytes.len() < TOKEN_MAGIC.len() + 1 + 8 || !bytes.starts_with(TOKEN_MAGIC) {
            return Err(bad("not a page token"));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let mut expected = [0u8; 8];
        expected.copy_from_slice(sum);
        if fnv1a(body) != u64::from_le_bytes(expected) {
            return Err(bad("it was changed (checksum mismatch)"));
        }
        let mut reader = Reader(&body[TOKEN_MAGIC.len()..]);
        let count = reader.byte().ok_or_else(|| bad("truncated"))?;
        let mut item = Item::with_capacity(usize::from(count));
        for _ in 0..count {
            let name = reader.chunk().ok_or_else(|| bad("truncated"))?;
            let name = String::from_utf8(name.to_vec()).map_err(|_| bad("a name is not UTF-8"))?;
            let tag = reader.byte().ok_or_else(|| bad("truncated"))?;
            let value = reader.chunk().ok_or_else(|| bad("truncated"))?;
            let value = match tag {
                b'S' | b'N' => {
                    let text = String::from_utf8(value.to_vec())
                        .map_err(|_| bad("a value is not UTF-8"))?;
                    if tag == b'S' {
                        AttributeValue::S(text)
                    } else {
                        AttributeValue::N(text)
                    }
                }
                b'B' => AttributeValue::B(value.to_vec().into()),
                _ => return Err(bad("a value is not a key scalar")),
            };
            item.insert(name, value);
        }
        if !reader.0.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(Self(item))
    }
}

fn push_chunk(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&bytes[..len as usize]);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn chunk(&mut self) -> Option<&'a [u8]> {
        if self.0.len() < 4 {
            return None;
        }
        let (len, rest) = self.0.split_at(4);
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        if rest.len() < len {
            return None;
        }
        let (chunk, rest) = rest.split_at(len);
        self.0 = rest;
        Some(chunk)
    }
}

/// FNV-1a, 64 bits: a checksum that stays the same across Rust versions
/// (tokens outlive a deployment).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(BASE64URL[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| BASE64URL.iter().position(|&x| x == c).map(|p| p as u32);
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push((n >> (16 - 8 * i)) as u8);
        }
        // Canonical encoding only: unused low bits must be zero.
        let used = 6 * chunk.len();
        let kept = 8 * produced;
        if used > kept && n & ((1 << (24 - kept)) - 1) & !((1 << (24 - used)) - 1) != 0 {
            return None;
        }
    }
    Some(out)
}

/// One page of results.
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<P> {
    /// The items of this page (after filtering), in order. An item that
    /// could not be decoded is an `Err` naming its key.
    pub items: Vec<Result<P>>,
    /// Where to continue; `None` on the last page.
    pub cursor: Option<Cursor>,
    /// Items DynamoDB read for this page before filtering.
    pub scanned_count: i32,
    /// Capacity units the page consumed, when asked for.
    pub consumed_capacity: Option<f64>,
}

// ------------------------------------------------------------------ options

/// The options every query and scan shares.
#[derive(Clone, Default)]
pub(crate) struct ReadOptions {
    pub(crate) filter: Option<Condition>,
    pub(crate) limit: Option<usize>,
    pub(crate) page_size: Option<i32>,
    pub(crate) consistent: bool,
    pub(crate) start: Option<Cursor>,
    pub(crate) capacity: Option<ReturnConsumedCapacity>,
    /// Attribute names to read, chosen at run time (`project_names`).
    pub(crate) names: Option<Vec<String>>,
    pub(crate) keep_raw: bool,
    pub(crate) customize_query: Option<Customize<QueryBuilder>>,
    pub(crate) customize_scan: Option<Customize<ScanBuilder>>,
}

/// The option setters of every query and scan builder (each holds a
/// `ReadOptions` in `self.options`).
macro_rules! read_option_setters {
    () => {
        /// Keeps only items matching `condition` (applied after reading:
        /// filtered items still consume capacity).
        pub fn filter(mut self, condition: $crate::expr::Condition) -> Self {
            self.options.filter = Some(condition);
            self
        }

        /// At most `n` items in total. Without a filter, requests ask
        /// DynamoDB for no more than what is left; with a filter they do not
        /// (filtered-out items would count against it), so set `page_size`
        /// to bound what each request reads.
        pub fn limit(mut self, n: usize) -> Self {
            self.options.limit = Some(n);
            self
        }

        /// Items DynamoDB reads per request (its `Limit`, counted before
        /// filtering). Default: as many as fit in 1 MB.
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

        /// Continues where a previous page stopped (a [`Cursor`](crate::Cursor),
        /// for example from [`Cursor::from_token`](crate::Cursor::from_token)).
        pub fn start_from(mut self, cursor: $crate::Cursor) -> Self {
            self.options.start = Some(cursor);
            self
        }

        /// Asks DynamoDB to report the capacity each request consumes (on
        /// pages and spans), overriding the table's setting.
        pub fn return_consumed_capacity(
            mut self,
            capacity: aws_sdk_dynamodb::types::ReturnConsumedCapacity,
        ) -> Self {
            self.options.capacity = Some(capacity);
            self
        }

        /// Keeps the raw attributes of an item that fails to decode in its
        /// error ([`DecodeError::raw_item`](crate::DecodeError::raw_item)),
        /// for repair jobs. Costs a copy of every item read.
        pub fn keep_raw_on_error(mut self) -> Self {
            self.options.keep_raw = true;
            self
        }
    };
}
pub(crate) use read_option_setters;

// ------------------------------------------------------------------ request

/// What a query asks of the key.
#[derive(Debug, Clone)]
pub(crate) enum ReadKind {
    Query {
        key_condition: String,
        forward: bool,
    },
    Scan {
        segment: Option<(i32, i32)>,
    },
}

/// The index type of a query or scan of a [`Document`](crate::Document)
/// table: chosen at run time by name.
#[derive(Debug)]
pub enum Untyped {}

/// The index a read targets.
#[derive(Debug, Clone)]
pub(crate) struct IndexRef {
    pub(crate) name: Cow<'static, str>,
    pub(crate) keys: KeyNames,
    pub(crate) global: bool,
    pub(crate) types: (Option<ScalarType>, Option<ScalarType>),
}

/// A built query or scan: everything but the paging state.
#[derive(Clone)]
pub(crate) struct ReadRequest {
    target: Arc<Target>,
    kind: ReadKind,
    index: Option<Cow<'static, str>>,
    /// The key attributes a cursor of this read holds: the table's keys
    /// and, for an index, the index's.
    cursor_keys: Vec<(String, Option<ScalarType>)>,
    filtered: bool,
    filter: Option<String>,
    projection: Option<String>,
    names: Option<HashMap<String, String>>,
    /// `names` without those only the projection uses (for `Select COUNT`).
    count_names: Option<HashMap<String, String>>,
    values: Option<HashMap<String, AttributeValue>>,
    consistent: bool,
    page_size: Option<i32>,
    limit: Option<usize>,
    start: Option<Item>,
    count_only: bool,
    capacity: Option<ReturnConsumedCapacity>,
    keep_raw: bool,
    customize_query: Option<Customize<QueryBuilder>>,
    customize_scan: Option<Customize<ScanBuilder>>,
}

impl ReadRequest {
    /// Checks the options and renders the expressions. `projection` is the
    /// attribute names to read (`None`: all of them); the key attributes are
    /// added so that a cursor can be made from any item.
    pub(crate) fn build(
        target: Arc<Target>,
        kind: ReadKind,
        index: Option<IndexRef>,
        options: ReadOptions,
        projection: Option<Vec<Cow<'static, str>>>,
        mut attrs: ExpressionAttributes,
    ) -> Result<Self> {
        target.check()?;
        if options.consistent && index.as_ref().is_some_and(|i| i.global) {
            return Err(Error::Validation(format!(
                "consistent reads are not supported on global secondary index {}",
                index.as_ref().map_or("?", |i| &i.name)
            )));
        }
        let mut cursor_keys: Vec<(String, Option<ScalarType>)> = Vec::with_capacity(4);
        let mut add_key = |name: &str, ty: Option<ScalarType>| {
            if !cursor_keys.iter().any(|(n, _)| n == name) {
                cursor_keys.push((name.to_owned(), ty));
            }
        };
        add_key(&target.keys.hash, target.key_types.0);
        if let Some(range) = &target.keys.range {
            add_key(range, target.key_types.1);
        }
        if let Some(index) = &index {
            add_key(&index.keys.hash, index.types.0);
            if let Some(range) = &index.keys.range {
                add_key(range, index.types.1);
            }
        }
        let filter = match &options.filter {
            Some(c) => Some(c.render(&mut attrs)?),
            None => None,
        };
        // A count sends no projection: the names only the projection uses
        // must not be sent either (DynamoDB refuses unused names).
        let count_names = attrs.clone().into_parts().0;
        let projection = match (projection, options.names) {
            (_, Some(names)) if names.is_empty() => {
                return Err(Error::Validation(
                    "a projection needs at least one attribute name".into(),
                ));
            }
            (_, Some(names)) => Some(projection_expression(
                names.iter().map(String::as_str),
                &cursor_keys,
                &mut attrs,
            )),
            (Some(names), None) => Some(projection_expression(
                names.iter().map(|n| n.as_ref()),
                &cursor_keys,
                &mut attrs,
            )),
            (None, None) => None,
        };
        let start = match options.start {
            Some(cursor) => Some(check_cursor(cursor.into_item(), &cursor_keys)?),
            None => None,
        };
        let (names, values) = attrs.into_parts();
        Ok(Self {
            target,
            kind,
            index: index.map(|i| i.name),
            cursor_keys,
            filtered: filter.is_some(),
            filter,
            projection,
            names,
            count_names,
            values,
            consistent: options.consistent,
            page_size: options.page_size,
            limit: options.limit,
            start,
            count_only: false,
            capacity: options.capacity,
            keep_raw: options.keep_raw,
            customize_query: options.customize_query,
            customize_scan: options.customize_scan,
        })
    }

    /// The request's `Limit`: the page size, and without a filter no more
    /// than what is left of `limit`.
    fn request_limit(&self, remaining: Option<usize>) -> Option<i32> {
        let remaining = if self.filtered {
            None
        } else {
            remaining.map(|r| i32::try_from(r).unwrap_or(i32::MAX))
        };
        match (self.page_size, remaining) {
            (Some(p), Some(r)) => Some(p.min(r)),
            (p, r) => p.or(r),
        }
    }

    async fn fetch(&self, start: Option<Item>, limit: Option<i32>) -> Result<RawPage> {
        let target = &self.target;
        let table = target.name.as_str();
        let select = self.count_only.then_some(Select::Count);
        let capacity = self.capacity.clone().or_else(|| target.capacity.clone());
        match &self.kind {
            ReadKind::Query {
                key_condition,
                forward,
            } => {
                let span = call::request_span::<QueryOp>(table);
                self.record_read(&span, limit);
                let builder = target
                    .client
                    .query()
                    .table_name(table)
                    .set_index_name(self.index.as_deref().map(str::to_owned))
                    .key_condition_expression(key_condition)
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_consistent_read(self.consistent.then_some(true))
                    .set_scan_index_forward((!*forward).then_some(false))
                    .set_limit(limit)
                    .set_exclusive_start_key(start)
                    .set_select(select)
                    .set_return_consumed_capacity(capacity);
                let answer = call::send::<QueryOp>(
                    span.clone(),
                    builder,
                    self.customize_query.as_ref(),
                    Some(table),
                )
                .await?;
                let out = answer.output;
                record_counts(&span, out.count, out.scanned_count);
                Ok(RawPage {
                    capacity: span::total_units(&answer.capacity),
                    count: out.count,
                    scanned: out.scanned_count,
                    items: out.items.unwrap_or_default(),
                    last_key: out.last_evaluated_key.filter(|k| !k.is_empty()),
                })
            }
            ReadKind::Scan { segment } => {
                let span = call::request_span::<ScanOp>(table);
                self.record_read(&span, limit);
                if let Some((s, total)) = segment {
                    span.record("aws.dynamodb.segment", *s);
                    span.record("aws.dynamodb.total_segments", *total);
                }
                let builder = target
                    .client
                    .scan()
                    .table_name(table)
                    .set_index_name(self.index.as_deref().map(str::to_owned))
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_consistent_read(self.consistent.then_some(true))
                    .set_limit(limit)
                    .set_exclusive_start_key(start)
                    .set_segment(segment.map(|s| s.0))
                    .set_total_segments(segment.map(|s| s.1))
                    .set_select(select)
                    .set_return_consumed_capacity(capacity);
                let answer = call::send::<ScanOp>(
                    span.clone(),
                    builder,
                    self.customize_scan.as_ref(),
                    Some(table),
                )
                .await?;
                let out = answer.output;
                record_counts(&span, out.count, out.scanned_count);
                Ok(RawPage {
                    capacity: span::total_units(&answer.capacity),
                    count: out.count,
                    scanned: out.scanned_count,
                    items: out.items.unwrap_or_default(),
                    last_key: out.last_evaluated_key.filter(|k| !k.is_empty()),
                })
            }
        }
    }

    fn record_read(&self, span: &tracing::Span, limit: Option<i32>) {
        if span.is_disabled() {
            return;
        }
        if let Some(index) = &self.index {
            span.record("aws.dynamodb.index_name", index.as_ref());
        }
        span.record("aws.dynamodb.consistent_read", self.consistent);
        if let Some(limit) = limit {
            span.record("aws.dynamodb.limit", limit);
        }
    }

    /// The key attributes of `item`, as a cursor holds them.
    fn key_of(&self, item: &Item) -> Item {
        self.cursor_keys
            .iter()
            .filter_map(|(name, _)| item.get(name).map(|v| (name.clone(), v.clone())))
            .collect()
    }

    /// The key values of `item` (at most four: a table's and an index's),
    /// copied before it is decoded: the names are added only when decoding
    /// fails, so a good item costs no map and no name copies.
    fn key_values(&self, item: &Item) -> [Option<AttributeValue>; 4] {
        let mut values: [Option<AttributeValue>; 4] = Default::default();
        for (slot, (name, _)) in values.iter_mut().zip(&self.cursor_keys) {
            *slot = item.get(name).cloned();
        }
        values
    }

    /// The key of a failed item from the values `key_values` copied.
    fn key_item(&self, values: [Option<AttributeValue>; 4]) -> Item {
        self.cursor_keys
            .iter()
            .zip(values)
            .filter_map(|((name, _), value)| Some((name.clone(), value?)))
            .collect()
    }

    /// The pages, fetched one at a time as the stream is polled.
    pub(crate) fn pages<P: Send + 'static>(self, decode: Decode<P>) -> PageStream<P> {
        PageStream::new(self.page_stream(decode).boxed())
    }

    fn page_stream<P: Send + 'static>(
        self,
        decode: Decode<P>,
    ) -> impl Stream<Item = Result<Page<P>>> + Send + 'static {
        let state = PageState {
            start: self.start.clone(),
            remaining: self.limit,
            done: self.limit == Some(0),
            req: self,
        };
        stream::try_unfold(state, move |mut st| async move {
            if st.done {
                return Ok(None);
            }
            let limit = st.req.request_limit(st.remaining);
            let raw = st.req.fetch(st.start.take(), limit).await?;
            let mut raw_items = raw.items;
            let mut cursor = raw.last_key;
            if let Some(remaining) = &mut st.remaining {
                if raw_items.len() >= *remaining {
                    if raw_items.len() > *remaining || cursor.is_some() {
                        raw_items.truncate(*remaining);
                        cursor = raw_items.last().map(|i| st.req.key_of(i));
                    }
                    st.done = true;
                }
                *remaining -= raw_items.len().min(*remaining);
            }
            if cursor.is_none() {
                st.done = true;
            }
            st.start.clone_from(&cursor);
            let items = raw_items
                .into_iter()
                .map(|item| st.req.decode_one(item, decode))
                .collect();
            let page = Page {
                items,
                cursor: cursor.map(Cursor),
                scanned_count: raw.scanned,
                consumed_capacity: raw.capacity,
            };
            Ok(Some((page, st)))
        })
    }

    fn decode_one<P>(&self, item: Item, decode: Decode<P>) -> Result<P> {
        if self.keep_raw {
            let raw = item.clone();
            return decode(item).map_err(|e| Error::Decode(e.with_item(self.key_of(&raw), raw)));
        }
        let key = self.key_values(&item);
        decode(item).map_err(|e| Error::Decode(e.with_key(self.key_item(key))))
    }

    /// The items, one page in memory at a time; each item decoded when it is
    /// polled.
    pub(crate) fn items<P: Send + 'static>(self, decode: Decode<P>) -> ItemStream<P> {
        let state = ItemState {
            buffer: VecDeque::new(),
            start: self.start.clone(),
            remaining: self.limit,
            done: self.limit == Some(0),
            req: self,
        };
        let stream = stream::unfold(Some(state), move |state| async move {
            let mut st = state?;
            loop {
                if let Some(item) = st.buffer.pop_front() {
                    let result = st.req.decode_one(item, decode);
                    return Some((result, Some(st)));
                }
                if st.done {
                    return None;
                }
                let limit = st.req.request_limit(st.remaining);
                match st.req.fetch(st.start.take(), limit).await {
                    Ok(raw) => {
                        let mut items = raw.items;
                        if let Some(remaining) = &mut st.remaining {
                            items.truncate(*remaining);
                            *remaining -= items.len();
                            if *remaining == 0 {
                                st.done = true;
                            }
                        }
                        match raw.last_key {
                            Some(k) => st.start = Some(k),
                            None => st.done = true,
                        }
                        st.buffer = items.into();
                    }
                    // The error ends the stream: the next page is unknown.
                    Err(e) => return Some((Err(e), None)),
                }
            }
        });
        ItemStream::new(stream.boxed())
    }

    /// `Select COUNT` over all pages (up to `limit`).
    pub(crate) async fn count(mut self) -> Result<u64> {
        self.count_only = true;
        self.projection = None;
        self.names = self.count_names.take();
        let mut total: u64 = 0;
        let mut start = self.start.take();
        let mut remaining = self.limit;
        loop {
            let raw = self
                .fetch(start.take(), self.request_limit(remaining))
                .await?;
            let mut n = u64::try_from(raw.count).unwrap_or(0);
            if let Some(rem) = &mut remaining {
                n = n.min(*rem as u64);
                *rem -= usize::try_from(n).unwrap_or(*rem);
                if *rem == 0 {
                    return Ok(total + n);
                }
            }
            total += n;
            match raw.last_key {
                Some(k) => start = Some(k),
                None => return Ok(total),
            }
        }
    }
}

/// How a read turns an item into its output type.
pub(crate) type Decode<P> = fn(Item) -> std::result::Result<P, DecodeError>;

struct RawPage {
    items: Vec<Item>,
    last_key: Option<Item>,
    count: i32,
    scanned: i32,
    capacity: Option<f64>,
}

struct PageState {
    req: ReadRequest,
    start: Option<Item>,
    remaining: Option<usize>,
    done: bool,
}

struct ItemState {
    req: ReadRequest,
    buffer: VecDeque<Item>,
    start: Option<Item>,
    remaining: Option<usize>,
    done: bool,
}

fn record_counts(span: &tracing::Span, count: i32, scanned: i32) {
    if !span.is_disabled() {
        span.record("aws.dynamodb.count", count);
        span.record("aws.dynamodb.scanned_count", scanned);
    }
}

/// `#n0, #n1`: the names asked for, plus the key attributes (so that a cursor
/// can be made from any item read).
fn projection_expression<'n>(
    names: impl Iterator<Item = &'n str>,
    keys: &[(String, Option<ScalarType>)],
    attrs: &mut ExpressionAttributes,
) -> String {
    let mut all: Vec<&str> = names.collect();
    for (key, _) in keys {
        if !all.contains(&key.as_str()) {
            all.push(key);
        }
    }
    attrs.projection(&all)
}

/// Refuses a cursor that does not hold exactly this read's key attributes.
fn check_cursor(item: Item, keys: &[(String, Option<ScalarType>)]) -> Result<Item> {
    let expected: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    let bad = |why: String| {
        Error::Validation(format!(
            "the cursor (page token) does not fit this read, whose cursors hold the key \
             attributes {expected:?}: {why}"
        ))
    };
    if item.len() != keys.len() {
        let mut found: Vec<&String> = item.keys().collect();
        found.sort();
        return Err(bad(format!("it holds {found:?}")));
    }
    for (name, ty) in keys {
        let Some(value) = item.get(name) else {
            return Err(bad(format!("`{name}` is missing")));
        };
        let found = match value {
            AttributeValue::S(s) if !s.is_empty() => ScalarType::S,
            AttributeValue::N(n) if crate::value::number::parse(n).is_some() => ScalarType::N,
            AttributeValue::B(b) if !b.as_ref().is_empty() => ScalarType::B,
            other => {
                return Err(bad(format!(
                    "`{name}` is not a key value ({})",
                    crate::value::type_name(other)
                )));
            }
        };
        if let Some(ty) = ty
            && *ty != found
        {
            return Err(bad(format!(
                "`{name}` is {} where the key is {}",
                found.as_str(),
                ty.as_str()
            )));
        }
    }
    Ok(item)
}

/// The projection of a typed read: `P`'s attribute names, or `None` for all.
pub(crate) fn projection<T, P: crate::schema::ProjectionOf<T>>() -> Option<Vec<Cow<'static, str>>> {
    if P::__FULL {
        return None;
    }
    let mut names = Vec::new();
    P::attribute_names(&mut names);
    Some(names.into_iter().map(Cow::Borrowed).collect())
}

// ------------------------------------------------------------------ streams

/// The items of a query or scan, fetched lazily: a `Stream` of
/// `Result<P>`, one page in memory at a time. A named type, so it can be kept
/// in a struct.
///
/// ```no_run
/// use dynamo_orm::{DynamoItem, ItemStream, Table};
/// # #[derive(DynamoItem)] #[dynamo(table = "users")]
/// # struct User { #[dynamo(hash_key)] username: String }
/// struct Exporter {
///     users: ItemStream<User>,
/// }
/// # fn demo(users: Table<User>) {
/// let exporter = Exporter { users: users.scan().stream() };
/// # }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct ItemStream<P> {
    inner: Pin<Box<dyn Stream<Item = Result<P>> + Send>>,
}

impl<P> ItemStream<P> {
    pub(crate) fn new(inner: Pin<Box<dyn Stream<Item = Result<P>> + Send>>) -> Self {
        Self { inner }
    }

    pub(crate) fn failed(error: Error) -> Self
    where
        P: Send + 'static,
    {
        Self::new(stream::once(async { Err(error) }).boxed())
    }
}

impl<P> Stream for ItemStream<P> {
    type Item = Result<P>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<P> std::fmt::Debug for ItemStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}

/// The pages of a query or scan, each with the cursor to resume after it.
#[must_use = "a stream does nothing until it is polled"]
pub struct PageStream<P> {
    inner: Pin<Box<dyn Stream<Item = Result<Page<P>>> + Send>>,
}

impl<P> PageStream<P> {
    pub(crate) fn new(inner: Pin<Box<dyn Stream<Item = Result<Page<P>>> + Send>>) -> Self {
        Self { inner }
    }

    pub(crate) fn failed(error: Error) -> Self
    where
        P: Send + 'static,
    {
        Self::new(stream::once(async { Err(error) }).boxed())
    }
}

impl<P> Stream for PageStream<P> {
    type Item = Result<Page<P>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<P> std::fmt::Debug for PageStream<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url_encode(&bytes);
            assert_eq!(base64url_decode(&text), Some(bytes), "{text}");
        }
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("ab=="), None);
        // Non-canonical trailing bits are refused.
        assert_eq!(base64url_decode("AB"), None);
        assert!(base64url_decode("AA").is_some());
    }

    #[test]
    fn tokens_round_trip_and_refuse_changes() {
        let key: Item = [
            ("pk".to_owned(), AttributeValue::S("USER#a".into())),
            ("sk".to_owned(), AttributeValue::N("-1.5E+3".into())),
            ("b".to_owned(), AttributeValue::B(vec![0, 255, 7].into())),
        ]
        .into();
        let cursor = Cursor::from_item(key);
        let token = cursor.to_token();
        assert_eq!(Cursor::from_token(&token).unwrap(), cursor);
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(bytes).unwrap();
            assert!(Cursor::from_token(&changed).is_err(), "{i}");
        }
        assert!(Cursor::from_token("").is_err());
        assert!(Cursor::from_token(&token[..token.len() - 2]).is_err());
        assert!(Cursor::from_token("not a token!").is_err());
    }

    #[test]
    fn cursors_must_fit_the_read() {
        let keys = vec![
            ("pk".to_owned(), Some(ScalarType::S)),
            ("sk".to_owned(), Some(ScalarType::N)),
        ];
        let ok: Item = [
            ("pk".to_owned(), AttributeValue::S("a".into())),
            ("sk".to_owned(), AttributeValue::N("1".into())),
        ]
        .into();
        assert!(check_cursor(ok.clone(), &keys).is_ok());
        let mut wrong_type = ok.clone();
        wrong_type.insert("sk".into(), AttributeValue::S("1".into()));
        assert!(check_cursor(wrong_type, &keys).is_err());
        let mut extra = ok.clone();
        extra.insert("other".into(), AttributeValue::S("x".into()));
        assert!(check_cursor(extra, &keys).is_err());
        let mut missing = ok;
        missing.remove("sk");
        assert!(check_cursor(missing, &keys).is_err());
    }
}
