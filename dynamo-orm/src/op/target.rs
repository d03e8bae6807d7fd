//! What every request needs to know about its table ([`KeyNames`],
//! [`IndexKeys`], and the crate's own target description), decided once when a
//! [`Table`](crate::Table) handle is made.

use std::borrow::Cow;
use std::sync::OnceLock;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;

use crate::error::{Error, Result};
use crate::limits::check_table_name;
use crate::schema::{IndexKind, ScalarType, TableSchema};

/// The stored names of a table's key attributes.
///
/// ```
/// use dynamo_orm::KeyNames;
/// let keys = KeyNames { hash: "pk".into(), range: Some("sk".into()) };
/// assert!(keys.contains("sk"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyNames {
    /// The partition key.
    pub hash: String,
    /// The sort key.
    pub range: Option<String>,
}

impl KeyNames {
    /// Whether `name` is one of the key attributes.
    pub fn contains(&self, name: &str) -> bool {
        self.hash == name || self.range.as_deref() == Some(name)
    }

    /// The key attribute names: the hash key, then the range key.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.hash.as_str()).chain(self.range.as_deref())
    }
}

/// A secondary index as a request needs it: its name and key attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKeys {
    /// The index name.
    pub name: Cow<'static, str>,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's key attributes.
    pub keys: KeyNames,
    /// The DynamoDB types of the index keys (hash, range), when known.
    pub types: (Option<ScalarType>, Option<ScalarType>),
}

/// Everything a request needs about its table. Shared by the clones of a
/// [`Table`](crate::Table) handle.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) client: Client,
    pub(crate) name: String,
    /// Why the name is not a valid table name, checked once when the handle
    /// is made: every operation refuses before sending.
    pub(crate) name_error: Option<String>,
    pub(crate) keys: KeyNames,
    /// The key attributes' DynamoDB types (hash, range), when known.
    pub(crate) key_types: (Option<ScalarType>, Option<ScalarType>),
    pub(crate) indexes: Vec<IndexKeys>,
    /// The optimistic-locking version attribute.
    pub(crate) version: Option<Cow<'static, str>>,
    /// The derived schema, when the table has one (what `create` and
    /// `verify_schema` work from).
    pub(crate) schema: Option<&'static TableSchema>,
    /// What every request asks for in `ReturnConsumedCapacity` (`None`: the
    /// field is left out of the request, as a hand-written program would).
    pub(crate) capacity: Option<ReturnConsumedCapacity>,
    /// The same client with the SDK's retries switched off, built on first
    /// use: batch operations resend by their own policy (unprocessed items
    /// are not errors the SDK could retry), and the SDK's retries would
    /// multiply their attempts.
    batch_client: OnceLock<Client>,
}

impl Clone for Target {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            name: self.name.clone(),
            name_error: self.name_error.clone(),
            keys: self.keys.clone(),
            key_types: self.key_types,
            indexes: self.indexes.clone(),
            version: self.version.clone(),
            schema: self.schema,
            capacity: self.capacity.clone(),
            batch_client: self.batch_client.clone(),
        }
    }
}

impl Target {
    pub(crate) fn new(client: Client, name: String, keys: KeyNames) -> Self {
        let name_error = name_error(&name);
        Self {
            client,
            name,
            name_error,
            keys,
            key_types: (None, None),
            indexes: Vec::new(),
            version: None,
            schema: None,
            capacity: None,
            batch_client: OnceLock::new(),
        }
    }

    /// The target of a derived schema.
    pub(crate) fn from_schema(client: Client, schema: &'static TableSchema) -> Self {
        let keys = KeyNames {
            hash: schema.hash_key.name.to_owned(),
            range: schema.range_key.map(|k| k.name.to_owned()),
        };
        let mut target = Self::new(client, schema.table_name.to_owned(), keys);
        target.key_types = (
            Some(schema.hash_key.scalar_type),
            schema.range_key.map(|k| k.scalar_type),
        );
        target.version = schema.version_attribute.map(Cow::Borrowed);
        target.schema = Some(schema);
        target.indexes = schema
            .indexes
            .iter()
            .map(|i| IndexKeys {
                name: Cow::Borrowed(i.name),
                kind: i.kind,
                keys: KeyNames {
                    hash: i.hash_key.name.to_owned(),
                    range: i.range_key.map(|k| k.name.to_owned()),
                },
                types: (
                    Some(i.hash_key.scalar_type),
                    i.range_key.map(|k| k.scalar_type),
                ),
            })
            .collect();
        target
    }

    /// The same target under another table name (checked again).
    pub(crate) fn renamed(&self, name: String) -> Self {
        let mut target = self.clone();
        target.name_error = name_error(&name);
        target.name = name;
        target
    }

    /// Refuses every request to a table whose name DynamoDB would refuse.
    #[inline]
    pub(crate) fn check(&self) -> Result<()> {
        match &self.name_error {
            None => Ok(()),
            Some(message) => Err(Error::Validation(message.clone())),
        }
    }

    /// The client for batch requests: the SDK's retries off.
    pub(crate) fn batch_client(&self) -> &Client {
        self.batch_client
            .get_or_init(|| no_retry_client(&self.client))
    }

    pub(crate) fn index(&self, name: &str) -> Option<&IndexKeys> {
        self.indexes.iter().find(|i| i.name == name)
    }
}

fn name_error(name: &str) -> Option<String> {
    check_table_name(name).err().map(|e| match e {
        Error::Validation(message) => message,
        other => other.to_string(),
    })
}

/// `client` with the SDK's retries switched off (same connections, credentials
/// and endpoint).
pub(crate) fn no_retry_client(client: &Client) -> Client {
    let config = client
        .config()
        .to_builder()
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}
