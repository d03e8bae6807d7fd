//! Table lifecycle: create from the derived schema, describe, verify the live
//! schema against the derived one, change throughput, delete, count.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, GlobalSecondaryIndexUpdate,
    IndexStatus, KeySchemaElement, KeyType, LocalSecondaryIndex, Projection as SdkProjection,
    ProjectionType, ProvisionedThroughput, ScalarAttributeType, TableDescription, TableStatus,
    TimeToLiveSpecification, TimeToLiveStatus, UpdateGlobalSecondaryIndexAction,
};

use crate::error::{Error, Result};
use crate::limits::check_table_name;
use crate::op::call::{
    self, CreateTableOp, DeleteTableOp, DescribeTableOp, DescribeTimeToLiveOp, UpdateTableOp,
    UpdateTimeToLiveOp,
};
use crate::op::output::{BoxFuture, Executable, Output, runnable};
use crate::op::target::Target;
use crate::op::write::build_error;
use crate::schema::{
    Billing, IndexKind, IndexSchema, KeyAttribute, Projection, ScalarType, TableSchema,
};
use crate::table::Table;

/// Read and write capacity units, for provisioned tables and indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throughput {
    /// Read capacity units.
    pub read: i64,
    /// Write capacity units.
    pub write: i64,
}

impl Throughput {
    /// `read` and `write` capacity units.
    pub const fn new(read: i64, write: i64) -> Self {
        Self { read, write }
    }

    fn to_sdk(self) -> Result<ProvisionedThroughput> {
        ProvisionedThroughput::builder()
            .read_capacity_units(self.read)
            .write_capacity_units(self.write)
            .build()
            .map_err(build_error)
    }
}

/// The derived schema of the table, or an error for a table without one
/// (a `Table<Document>` opened by name).
fn schema_of(target: &Target) -> Result<&'static TableSchema> {
    target.schema.ok_or_else(|| {
        Error::Validation(format!(
            "table {} has no declared schema (it was opened by name); create it from a type \
             deriving `DynamoItem` or a table declared with `DynamoTable`",
            target.name
        ))
    })
}

/// Builder of a `CreateTable` request from the derived schema (see
/// [`Table::create`]). Run it with `.await`.
#[must_use = "a request does nothing until it is awaited"]
pub struct CreateTable<'a, T> {
    table: &'a Table<T>,
    throughput: Option<Throughput>,
    index_throughput: Vec<(&'static str, Throughput)>,
    wait: Option<Duration>,
}

impl<T> Table<T> {
    /// Creates the table from the derived schema alone: key schema, attribute
    /// definitions (each key attribute once, index keys included), local and
    /// global indexes with their projections, and the schema's billing
    /// (on demand unless the type says `provisioned(read = .., write = ..)`,
    /// or the builder [`provisioned`](CreateTable::provisioned)). Waits until the table and
    /// its indexes are ACTIVE (at most two minutes by default), then enables
    /// TTL when the schema has a TTL attribute.
    ///
    /// Enabling TTL is a second request: when it fails, the error is
    /// returned and the table exists without TTL;
    /// [`create_if_not_exists`](Self::create_if_not_exists) (or
    /// [`enable_ttl`](Self::enable_ttl)) completes it.
    ///
    /// ```no_run
    /// # use dynamo_orm::{DynamoItem, Table, Throughput};
    /// # #[derive(DynamoItem)] #[dynamo(table = "users")]
    /// # struct User { #[dynamo(hash_key)] username: String }
    /// # async fn demo(users: Table<User>) -> dynamo_orm::Result<()> {
    /// users.create().await?;                                                 // on demand
    /// users.with_name("users_2").create().provisioned(Throughput::new(5, 5)).await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self) -> CreateTable<'_, T> {
        CreateTable {
            table: self,
            throughput: None,
            index_throughput: Vec::new(),
            wait: Some(Duration::from_secs(120)),
        }
    }

    /// Creates the table unless it exists; `true` when it was created. When
    /// it exists, waits until it is ACTIVE and enables TTL if the schema has
    /// a TTL attribute that is not enabled yet, so a half-done `create`
    /// (TTL failed) is completed.
    pub async fn create_if_not_exists(&self) -> Result<bool> {
        if self.try_describe().await?.is_none() {
            match self.create().await {
                Ok(()) => return Ok(true),
                // Someone else created it in between.
                Err(Error::ResourceInUse(_)) => {}
                Err(e) => return Err(e),
            }
        }
        wait_active(&self.target, Duration::from_secs(120)).await?;
        self.enable_ttl().await?;
        Ok(false)
    }

    /// Enables TTL on the schema's TTL attribute unless it is enabled already
    /// (nothing to do for a schema without one). Returns whether a request
    /// enabled it.
    pub async fn enable_ttl(&self) -> Result<bool> {
        let Some(ttl) = schema_of(&self.target)?.ttl_attribute else {
            return Ok(false);
        };
        let (status, attribute) = ttl_status(&self.target).await?;
        let on = matches!(
            status,
            Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
        );
        if on && attribute.as_deref() == Some(ttl) {
            return Ok(false);
        }
        update_ttl(&self.target, ttl).await?;
        Ok(true)
    }

    /// Compares the live table with the derived schema and returns every
    /// difference (empty when they agree), to catch drift at start-up.
    pub async fn verify_schema(&self) -> Result<Vec<SchemaDifference>> {
        let schema = schema_of(&self.target)?;
        let Some(live) = self.try_describe().await? else {
            return Ok(vec![SchemaDifference::TableMissing]);
        };
        let mut diffs = compare_schema(schema, &live);
        if let Some(ttl) = schema.ttl_attribute {
            let (status, name) = ttl_status(&self.target).await?;
            let enabled = status == Some(TimeToLiveStatus::Enabled);
            if !enabled || name.as_deref() != Some(ttl) {
                diffs.push(SchemaDifference::TtlNotEnabled {
                    attribute: ttl.to_owned(),
                    found: name.filter(|_| enabled),
                });
            }
        }
        Ok(diffs)
    }

    /// The live table description (DescribeTable).
    pub async fn describe(&self) -> Result<TableDescription> {
        let table = self.name().to_owned();
        self.try_describe().await?.ok_or(Error::TableNotFound {
            table: Some(table),
            error: crate::error::ServiceError::new("ResourceNotFoundException", None, None, None),
        })
    }

    /// The description, `None` when the table does not exist.
    pub async fn try_describe(&self) -> Result<Option<TableDescription>> {
        describe(&self.target).await
    }

    /// Changes the provisioned throughput of the table and, by name, of global indexes.
    pub async fn update_throughput(
        &self,
        table: Throughput,
        indexes: &[(&str, Throughput)],
    ) -> Result<()> {
        let target = &self.target;
        target.check()?;
        let mut req = target
            .client
            .update_table()
            .table_name(&target.name)
            .provisioned_throughput(table.to_sdk()?);
        for (name, tp) in indexes {
            req = req.global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .update(
                        UpdateGlobalSecondaryIndexAction::builder()
                            .index_name(*name)
                            .provisioned_throughput(tp.to_sdk()?)
                            .build()
                            .map_err(build_error)?,
                    )
                    .build(),
            );
        }
        call::send::<UpdateTableOp>(
            call::request_span::<UpdateTableOp>(&target.name),
            req,
            None,
            Some(&target.name),
        )
        .await?;
        wait_active(target, Duration::from_secs(120)).await
    }

    /// Deletes the table and waits until it is gone.
    pub async fn delete_table(&self) -> Result<()> {
        let target = &self.target;
        target.check()?;
        let req = target.client.delete_table().table_name(&target.name);
        call::send::<DeleteTableOp>(
            call::request_span::<DeleteTableOp>(&target.name),
            req,
            None,
            Some(&target.name),
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if describe(target).await?.is_none() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(Error::Validation(format!(
            "table {} still exists after 120 s",
            target.name
        )))
    }

    /// The approximate item count DynamoDB reports (updated about every six
    /// hours on AWS). For an exact count use `scan().count()`.
    pub async fn item_count(&self) -> Result<i64> {
        Ok(self.describe().await?.item_count().unwrap_or(0))
    }
}

async fn describe(target: &Target) -> Result<Option<TableDescription>> {
    target.check()?;
    let req = target.client.describe_table().table_name(&target.name);
    match call::send::<DescribeTableOp>(
        call::request_span::<DescribeTableOp>(&target.name),
        req,
        None,
        Some(&target.name),
    )
    .await
    {
        Ok(answer) => Ok(answer.output.table),
        Err(Error::TableNotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn ttl_status(target: &Target) -> Result<(Option<TimeToLiveStatus>, Option<String>)> {
    let req = target
        .client
        .describe_time_to_live()
        .table_name(&target.name);
    let answer = call::send::<DescribeTimeToLiveOp>(
        call::request_span::<DescribeTimeToLiveOp>(&target.name),
        req,
        None,
        Some(&target.name),
    )
    .await?;
    let desc = answer.output.time_to_live_description;
    Ok((
        desc.as_ref().and_then(|d| d.time_to_live_status().cloned()),
        desc.and_then(|d| d.attribute_name),
    ))
}

async fn update_ttl(target: &Target, attribute: &str) -> Result<()> {
    let req = target
        .client
        .update_time_to_live()
        .table_name(&target.name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(attribute)
                .build()
                .map_err(build_error)?,
        );
    call::send::<UpdateTimeToLiveOp>(
        call::request_span::<UpdateTimeToLiveOp>(&target.name),
        req,
        None,
        Some(&target.name),
    )
    .await?;
    Ok(())
}

impl<'a, T> CreateTable<'a, T> {
    /// Provisioned billing with this table throughput; global indexes get the
    /// same unless [`index_throughput`](Self::index_throughput) says otherwise.
    pub fn provisioned(mut self, throughput: Throughput) -> Self {
        self.throughput = Some(throughput);
        self
    }

    /// Provisioned throughput of one global index, by index name.
    pub fn index_throughput(mut self, index: &'static str, throughput: Throughput) -> Self {
        self.index_throughput.push((index, throughput));
        self
    }

    /// How long to wait for ACTIVE (`None`: return as soon as the request is
    /// accepted, without enabling TTL).
    pub fn wait(mut self, timeout: Option<Duration>) -> Self {
        self.wait = timeout;
        self
    }

    /// Sends the request (the same as `.await`).
    #[deprecated(note = "`.await` the builder")]
    pub async fn send(self) -> Result<()> {
        self.run().await.map(|o| o.value)
    }

    async fn run(self) -> Result<Output<()>> {
        let target = &self.table.target;
        target.check()?;
        let schema = schema_of(target)?;
        // The builder's choice, else the schema's billing.
        let throughput = self.throughput.or(match schema.billing {
            Billing::OnDemand => None,
            Billing::Provisioned { read, write } => Some(Throughput::new(read, write)),
        });
        for index in schema.indexes {
            check_table_name(index.name)?;
            if throughput.is_none() && self.index_throughput.iter().any(|(n, _)| *n == index.name) {
                return Err(Error::Validation(format!(
                    "index_throughput for {} needs a provisioned table",
                    index.name
                )));
            }
        }
        let mut req = target
            .client
            .create_table()
            .table_name(&target.name)
            .set_attribute_definitions(Some(
                schema
                    .key_attributes()
                    .into_iter()
                    .map(attribute_definition)
                    .collect::<Result<_>>()?,
            ))
            .set_key_schema(Some(key_schema(schema.hash_key, schema.range_key)?));
        match throughput {
            Some(tp) => {
                req = req
                    .billing_mode(BillingMode::Provisioned)
                    .provisioned_throughput(tp.to_sdk()?)
            }
            None => req = req.billing_mode(BillingMode::PayPerRequest),
        }
        for index in schema.indexes {
            let keys = key_schema(index.hash_key, index.range_key)?;
            let projection = projection(index.projection);
            match index.kind {
                IndexKind::Local => {
                    req = req.local_secondary_indexes(
                        LocalSecondaryIndex::builder()
                            .index_name(index.name)
                            .set_key_schema(Some(keys))
                            .projection(projection)
                            .build()
                            .map_err(build_error)?,
                    );
                }
                IndexKind::Global => {
                    let mut gsi = GlobalSecondaryIndex::builder()
                        .index_name(index.name)
                        .set_key_schema(Some(keys))
                        .projection(projection);
                    if let Some(tp) = throughput {
                        let tp = self
                            .index_throughput
                            .iter()
                            .find(|(n, _)| *n == index.name)
                            .map_or(tp, |(_, t)| *t);
                        gsi = gsi.provisioned_throughput(tp.to_sdk()?);
                    }
                    req = req.global_secondary_indexes(gsi.build().map_err(build_error)?);
                }
            }
        }
        let answer = call::send::<CreateTableOp>(
            call::request_span::<CreateTableOp>(&target.name),
            req,
            None,
            Some(&target.name),
        )
        .await?;
        if let Some(timeout) = self.wait {
            wait_active(target, timeout).await?;
            if let Some(ttl) = schema.ttl_attribute {
                update_ttl(target, ttl).await?;
            }
        }
        Ok(Output {
            request_id: answer.request_id,
            ..Output::new(())
        })
    }
}

impl<'a, T: 'a> Executable<'a> for CreateTable<'a, T> {
    type Value = ();
    fn execute(self) -> BoxFuture<'a, Result<Output<()>>> {
        Box::pin(self.run())
    }
}
runnable!(CreateTable<'a, T> where T: 'a);

/// Waits until the table and its global indexes are ACTIVE.
pub(crate) async fn wait_active(target: &Target, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(desc) = describe(target).await? {
            let table_active = desc.table_status() == Some(&TableStatus::Active);
            let indexes_active = desc
                .global_secondary_indexes()
                .iter()
                .all(|g| g.index_status() == Some(&IndexStatus::Active));
            if table_active && indexes_active {
                return Ok(());
            }
        }
        if Instant::now() >= deadline {
            return Err(Error::Validation(format!(
                "table {} not ACTIVE after {timeout:?}",
                target.name
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn scalar(t: ScalarType) -> ScalarAttributeType {
    match t {
        ScalarType::S => ScalarAttributeType::S,
        ScalarType::N => ScalarAttributeType::N,
        ScalarType::B => ScalarAttributeType::B,
    }
}

fn attribute_definition(k: KeyAttribute) -> Result<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(k.name)
        .attribute_type(scalar(k.scalar_type))
        .build()
        .map_err(build_error)
}

fn key_schema(hash: KeyAttribute, range: Option<KeyAttribute>) -> Result<Vec<KeySchemaElement>> {
    let mut out = vec![
        KeySchemaElement::builder()
            .attribute_name(hash.name)
            .key_type(KeyType::Hash)
            .build()
            .map_err(build_error)?,
    ];
    if let Some(r) = range {
        out.push(
            KeySchemaElement::builder()
                .attribute_name(r.name)
                .key_type(KeyType::Range)
                .build()
                .map_err(build_error)?,
        );
    }
    Ok(out)
}

fn projection(p: Projection) -> SdkProjection {
    match p {
        Projection::All => SdkProjection::builder()
            .projection_type(ProjectionType::All)
            .build(),
        Projection::KeysOnly => SdkProjection::builder()
            .projection_type(ProjectionType::KeysOnly)
            .build(),
        Projection::Include(attrs) => SdkProjection::builder()
            .projection_type(ProjectionType::Include)
            .set_non_key_attributes(Some(attrs.iter().map(|a| (*a).to_owned()).collect()))
            .build(),
    }
}

/// One way the live table differs from the derived schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaDifference {
    /// The table does not exist.
    TableMissing,
    /// The table's or an index's key schema differs.
    KeySchema {
        /// `None` for the table, the index name otherwise.
        index: Option<String>,
        /// `(name, HASH|RANGE)` pairs derived.
        expected: Vec<(String, String)>,
        /// `(name, HASH|RANGE)` pairs live.
        found: Vec<(String, String)>,
    },
    /// A key attribute has another type.
    AttributeType {
        /// The attribute.
        name: String,
        /// Derived type.
        expected: ScalarType,
        /// Live type (`S`, `N`, `B`), or `None` when not defined.
        found: Option<String>,
    },
    /// A derived index is not in the table.
    MissingIndex {
        /// Its name.
        name: String,
    },
    /// The table has an index the struct does not declare.
    UnexpectedIndex {
        /// Its name.
        name: String,
    },
    /// The index is local where global was derived, or the other way round.
    IndexKind {
        /// The index.
        name: String,
        /// Derived kind.
        expected: IndexKind,
    },
    /// The index projects other attributes.
    Projection {
        /// The index.
        name: String,
        /// Derived projection, as text.
        expected: String,
        /// Live projection, as text.
        found: String,
    },
    /// The TTL attribute is not enabled (or another one is).
    TtlNotEnabled {
        /// The derived TTL attribute.
        attribute: String,
        /// The live one, if any.
        found: Option<String>,
    },
}

fn keys_of(elems: &[KeySchemaElement]) -> Vec<(String, String)> {
    elems
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect()
}

fn derived_keys(hash: KeyAttribute, range: Option<KeyAttribute>) -> Vec<(String, String)> {
    std::iter::once((hash.name.to_owned(), "HASH".to_owned()))
        .chain(range.map(|r| (r.name.to_owned(), "RANGE".to_owned())))
        .collect()
}

fn projection_text(p: Projection) -> String {
    match p {
        Projection::All => "ALL".into(),
        Projection::KeysOnly => "KEYS_ONLY".into(),
        Projection::Include(a) => {
            let mut a: Vec<&str> = a.to_vec();
            a.sort_unstable();
            format!("INCLUDE({})", a.join(","))
        }
    }
}

fn live_projection_text(p: Option<&SdkProjection>) -> String {
    match p.and_then(|p| p.projection_type()) {
        Some(ProjectionType::All) => "ALL".into(),
        Some(ProjectionType::KeysOnly) => "KEYS_ONLY".into(),
        Some(ProjectionType::Include) => {
            let mut a: Vec<&str> = p
                .map(|p| p.non_key_attributes().iter().map(String::as_str).collect())
                .unwrap_or_default();
            a.sort_unstable();
            format!("INCLUDE({})", a.join(","))
        }
        _ => "unknown".into(),
    }
}

pub(crate) fn compare_schema(
    schema: &crate::schema::TableSchema,
    live: &TableDescription,
) -> Vec<SchemaDifference> {
    let mut diffs = Vec::new();
    let expected = derived_keys(schema.hash_key, schema.range_key);
    let found = keys_of(live.key_schema());
    if expected != found {
        diffs.push(SchemaDifference::KeySchema {
            index: None,
            expected,
            found,
        });
    }
    for k in schema.key_attributes() {
        let live_type = live
            .attribute_definitions()
            .iter()
            .find(|d| d.attribute_name() == k.name)
            .map(|d| d.attribute_type().as_str().to_owned());
        if live_type.as_deref() != Some(k.scalar_type.as_str()) {
            diffs.push(SchemaDifference::AttributeType {
                name: k.name.to_owned(),
                expected: k.scalar_type,
                found: live_type,
            });
        }
    }
    let check_index = |diffs: &mut Vec<SchemaDifference>,
                       index: &IndexSchema,
                       keys: &[KeySchemaElement],
                       proj: Option<&SdkProjection>| {
        let expected = derived_keys(index.hash_key, index.range_key);
        let found = keys_of(keys);
        if expected != found {
            diffs.push(SchemaDifference::KeySchema {
                index: Some(index.name.to_owned()),
                expected,
                found,
            });
        }
        let (e, f) = (
            projection_text(index.projection),
            live_projection_text(proj),
        );
        if e != f {
            diffs.push(SchemaDifference::Projection {
                name: index.name.to_owned(),
                expected: e,
                found: f,
            });
        }
    };
    for index in schema.indexes {
        let gsi = live
            .global_secondary_indexes()
            .iter()
            .find(|g| g.index_name() == Some(index.name));
        let lsi = live
            .local_secondary_indexes()
            .iter()
            .find(|l| l.index_name() == Some(index.name));
        match (index.kind, gsi, lsi) {
            (IndexKind::Global, Some(g), _) => {
                check_index(&mut diffs, index, g.key_schema(), g.projection())
            }
            (IndexKind::Local, _, Some(l)) => {
                check_index(&mut diffs, index, l.key_schema(), l.projection())
            }
            (kind, Some(_), _) | (kind, _, Some(_)) => diffs.push(SchemaDifference::IndexKind {
                name: index.name.to_owned(),
                expected: kind,
            }),
            (_, None, None) => diffs.push(SchemaDifference::MissingIndex {
                name: index.name.to_owned(),
            }),
        }
    }
    let live_names = live
        .global_secondary_indexes()
        .iter()
        .filter_map(|g| g.index_name())
        .chain(
            live.local_secondary_indexes()
                .iter()
                .filter_map(|l| l.index_name()),
        );
    for name in live_names {
        if schema.index(name).is_none() {
            diffs.push(SchemaDifference::UnexpectedIndex {
                name: name.to_owned(),
            });
        }
    }
    diffs
}

impl Table<crate::Document> {
    /// Opens an existing table by name, learning its key schema and indexes
    /// from DescribeTable.
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
        use crate::op::target::{IndexKeys, KeyNames};
        let name = name.into();
        let mut target = Target::new(
            client,
            name.clone(),
            KeyNames {
                hash: String::new(),
                range: None,
            },
        );
        let Some(desc) = describe(&target).await? else {
            return Err(Error::TableNotFound {
                table: Some(name),
                error: crate::error::ServiceError::new(
                    "ResourceNotFoundException",
                    None,
                    None,
                    None,
                ),
            });
        };
        let types = |attribute: &str| {
            desc.attribute_definitions()
                .iter()
                .find(|d| d.attribute_name() == attribute)
                .and_then(|d| match d.attribute_type() {
                    ScalarAttributeType::S => Some(ScalarType::S),
                    ScalarAttributeType::N => Some(ScalarType::N),
                    ScalarAttributeType::B => Some(ScalarType::B),
                    _ => None,
                })
        };
        let keys_of = |elements: &[KeySchemaElement]| {
            let mut keys = KeyNames {
                hash: String::new(),
                range: None,
            };
            for k in elements {
                match k.key_type() {
                    KeyType::Hash => keys.hash = k.attribute_name().to_owned(),
                    KeyType::Range => keys.range = Some(k.attribute_name().to_owned()),
                    _ => {}
                }
            }
            keys
        };
        target.keys = keys_of(desc.key_schema());
        if target.keys.hash.is_empty() {
            return Err(Error::Validation(format!(
                "table {name} reports no hash key"
            )));
        }
        target.key_types = (
            types(&target.keys.hash),
            target.keys.range.as_deref().and_then(types),
        );
        let index = |name: &str, kind: IndexKind, elements: &[KeySchemaElement]| {
            let keys = keys_of(elements);
            let t = (types(&keys.hash), keys.range.as_deref().and_then(types));
            IndexKeys {
                name: name.to_owned().into(),
                kind,
                keys,
                types: t,
            }
        };
        for g in desc.global_secondary_indexes() {
            if let Some(n) = g.index_name() {
                target
                    .indexes
                    .push(index(n, IndexKind::Global, g.key_schema()));
            }
        }
        for l in desc.local_secondary_indexes() {
            if let Some(n) = l.index_name() {
                target
                    .indexes
                    .push(index(n, IndexKind::Local, l.key_schema()));
            }
        }
        Ok(Table::from_target(target))
    }
}
