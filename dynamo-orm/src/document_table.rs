//! `Table<Document>`: a table without a model, its keys learned from
//! DescribeTable (the seed's `Table('users')`).

use futures::stream::{Stream, TryStreamExt};
use tracing::Instrument;

use crate::document::Document;
use crate::error::{Error, Result};
use crate::expr::{ExpressionAttributes, SortKeyCondition, render_key_condition};
use crate::items::{log_capacity, span};
use crate::limits::{check_item_size, check_key_value};
use crate::query::{ReadOptions, build_request};
use crate::read::ReadKind;
use crate::sdk::map_sdk_error;
use crate::table::{KeyNames, Table};
use crate::{AttributeValue, Item};

impl Table<Document> {
    /// Opens an existing table by name, learning its key schema from DescribeTable.
    ///
    /// ```no_run
    /// # use dynamo_orm::{Document, Table};
    /// # async fn demo(client: aws_sdk_dynamodb::Client) -> dynamo_orm::Result<()> {
    /// let users = Table::<Document>::open(client, "users").await?;
    /// let mut key = Document::new();
    /// key.insert("username", "johndoe")?;
    /// if let Some(doc) = users.get(key).await? {
    ///     let first: Option<String> = doc.get("first_name")?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn open(client: aws_sdk_dynamodb::Client, name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        let probe = Table::<Document>::from_parts(
            client.clone(),
            name.clone(),
            KeyNames {
                hash: String::new(),
                range: None,
            },
        );
        let desc = probe.describe().await?;
        let mut keys = KeyNames {
            hash: String::new(),
            range: None,
        };
        for k in desc.key_schema() {
            match k.key_type().as_str() {
                "HASH" => keys.hash = k.attribute_name().to_owned(),
                "RANGE" => keys.range = Some(k.attribute_name().to_owned()),
                _ => {}
            }
        }
        if keys.hash.is_empty() {
            return Err(Error::Validation(format!(
                "table {name} reports no hash key"
            )));
        }
        Ok(Table::from_parts(client, name, keys))
    }

    fn check_key(&self, item: &Item) -> Result<Item> {
        let names = self.key_names();
        let mut key = Item::with_capacity(2);
        for name in std::iter::once(&names.hash).chain(names.range.as_ref()) {
            check_key_value(name, item.get(name))?;
            if let Some(v) = item.get(name) {
                key.insert(name.clone(), v.clone());
            }
        }
        Ok(key)
    }

    /// Reads the item with the key attributes of `key` (other attributes are ignored).
    pub async fn get(&self, key: impl Into<Document>) -> Result<Option<Document>> {
        let key = self.check_key(&key.into())?;
        let out = self
            .client()
            .get_item()
            .table_name(self.name())
            .set_key(Some(key))
            .send()
            .instrument(span(self.name(), "GetItem"))
            .await
            .map_err(map_sdk_error)?;
        log_capacity(out.consumed_capacity());
        Ok(out.item.map(Document::from))
    }

    /// Writes a document (it must hold the key attributes).
    pub async fn put(&self, doc: &Document) -> Result<()> {
        let item = doc.as_item();
        self.check_key(item)?;
        check_item_size(item)?;
        self.client()
            .put_item()
            .table_name(self.name())
            .set_item(Some(item.clone()))
            .send()
            .instrument(span(self.name(), "PutItem"))
            .await
            .map_err(map_sdk_error)?;
        Ok(())
    }

    /// Deletes the item with the key attributes of `key`.
    pub async fn delete(&self, key: impl Into<Document>) -> Result<()> {
        let key = self.check_key(&key.into())?;
        self.client()
            .delete_item()
            .table_name(self.name())
            .set_key(Some(key))
            .send()
            .instrument(span(self.name(), "DeleteItem"))
            .await
            .map_err(map_sdk_error)?;
        Ok(())
    }

    /// Queries by partition key value; see [`DocumentQuery`].
    pub fn query(&self, hash: AttributeValue) -> DocumentQuery<'_> {
        DocumentQuery {
            table: self,
            hash,
            range: None,
            index: None,
            forward: true,
            options: ReadOptions::default(),
        }
    }

    /// Every document of the table, fetched lazily.
    pub fn scan_documents(&self) -> impl Stream<Item = Result<Document>> + Send + 'static + use<> {
        let req = build_request(
            self,
            ReadKind::Scan { segment: None },
            None,
            ReadOptions::default(),
            None,
            ExpressionAttributes::new(),
        );
        match req {
            Ok(r) => futures::future::Either::Left(r.items::<Document>()),
            Err(e) => futures::future::Either::Right(futures::stream::once(async { Err(e) })),
        }
    }
}

/// A query of a [`Table<Document>`], by raw attribute values.
#[must_use = "a query does nothing until it is run"]
pub struct DocumentQuery<'a> {
    table: &'a Table<Document>,
    hash: AttributeValue,
    range: Option<(String, SortKeyCondition)>,
    index: Option<(&'static str, String, Option<String>)>,
    forward: bool,
    options: ReadOptions,
}

impl DocumentQuery<'_> {
    /// Queries an index (`'static` name) keyed by `hash` (and `range`) attributes.
    pub fn index(mut self, name: &'static str, hash: &str, range: Option<&str>) -> Self {
        self.index = Some((name, hash.to_owned(), range.map(str::to_owned)));
        self
    }

    /// A sort key condition on the table's (or index's) sort key.
    pub fn range(mut self, condition: SortKeyCondition) -> Self {
        let name = match &self.index {
            Some((_, _, r)) => r.clone(),
            None => self.table.key_names().range.clone(),
        };
        self.range = Some((name.unwrap_or_default(), condition));
        self
    }

    crate::query::read_option_setters!();

    /// Descending order.
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }

    /// The documents, fetched lazily.
    pub fn stream(self) -> impl Stream<Item = Result<Document>> + Send + 'static + use<> {
        let req = (|| {
            if let Some((name, _)) = &self.range
                && name.is_empty()
            {
                return Err(Error::Validation("this key schema has no sort key".into()));
            }
            let (index, hash_name) = match &self.index {
                Some((i, h, _)) => (Some(*i), h.clone()),
                None => (None, self.table.key_names().hash.clone()),
            };
            check_key_value(&hash_name, Some(&self.hash))?;
            let mut attrs = ExpressionAttributes::new();
            let key_condition = render_key_condition(
                &hash_name,
                self.hash.clone(),
                self.range.as_ref().map(|(n, c)| (n.as_str(), c)),
                &mut attrs,
            );
            build_request(
                self.table,
                ReadKind::Query {
                    key_condition,
                    forward: self.forward,
                },
                index,
                self.options.clone(),
                None,
                attrs,
            )
        })();
        match req {
            Ok(r) => futures::future::Either::Left(r.items::<Document>()),
            Err(e) => futures::future::Either::Right(futures::stream::once(async { Err(e) })),
        }
    }

    /// All documents.
    pub async fn all(self) -> Result<Vec<Document>> {
        self.stream().try_collect().await
    }
}
