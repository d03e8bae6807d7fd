//! `to_item` and `from_item` of three shapes (small, medium, large), each by
//! the derive, by naive hand-written code, by careful hand-written code (the
//! practical limit: pre-sized maps, `itoa` / `ryu`, strings moved out of the
//! item) and by serde_dynamo over serde derives of the same struct. Before
//! measuring, each shape is checked to convert to the same item and back to
//! the same struct with all four.
//!
//! ```text
//! cargo bench --bench conversions                 # everything, then the ratio table
//! cargo bench --bench conversions -- from_item    # a criterion filter
//! ```
//!
//! `from_item` consumes its item: every contender gets a fresh clone made
//! outside the measurement (`iter_batched`), and the struct it returns is
//! dropped outside it too. `to_item`'s output is dropped outside the
//! measurement as well (`iter_with_large_drop`): in use, the item goes to the
//! SDK and is freed after the request.

use std::fmt::Debug;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use criterion::{BatchSize, Criterion};
use dynamo_orm::{DynamoItem, Item};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[path = "support/careful.rs"]
mod careful;
#[path = "support/shapes.rs"]
mod shapes;
#[path = "support/user.rs"]
mod user;

/// The contenders, in the order they are measured and reported.
const DERIVE: &str = "derive";
const HAND: &str = "hand_written";
const CAREFUL: &str = "careful";
const SERDE: &str = "serde_dynamo";

struct Shape<T> {
    name: &'static str,
    value: T,
    hand_to: fn(&T) -> Item,
    hand_from: fn(&Item) -> Result<T, String>,
    careful_to: fn(&T) -> Item,
    careful_from: fn(Item) -> Result<T, String>,
}

fn bench_shape<T>(c: &mut Criterion, shape: Shape<T>)
where
    T: DynamoItem + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Shape {
        name,
        value,
        hand_to,
        hand_from,
        careful_to,
        careful_from,
    } = shape;
    user::assert_conversions_agree(&value, hand_to, hand_from);
    assert_careful_agrees(&value, careful_to, careful_from);
    let item = value.to_item().expect("to_item");

    let mut group = c.benchmark_group(format!("to_item/{name}"));
    group.bench_function(DERIVE, |b| {
        b.iter_with_large_drop(|| black_box(&value).to_item())
    });
    group.bench_function(HAND, |b| {
        b.iter_with_large_drop(|| hand_to(black_box(&value)))
    });
    group.bench_function(CAREFUL, |b| {
        b.iter_with_large_drop(|| careful_to(black_box(&value)))
    });
    group.bench_function(SERDE, |b| {
        b.iter_with_large_drop(|| serde_dynamo::to_item::<_, Item>(black_box(&value)))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("from_item/{name}"));
    group.bench_function(DERIVE, |b| {
        b.iter_batched(|| item.clone(), T::from_item, BatchSize::SmallInput)
    });
    // The hand-written code reads a borrowed item, as one writes it first; it
    // is handed the same owned clone and frees it, as the others do.
    group.bench_function(HAND, |b| {
        b.iter_batched(|| item.clone(), |i| hand_from(&i), BatchSize::SmallInput)
    });
    group.bench_function(CAREFUL, |b| {
        b.iter_batched(|| item.clone(), careful_from, BatchSize::SmallInput)
    });
    group.bench_function(SERDE, |b| {
        b.iter_batched(
            || item.clone(),
            serde_dynamo::from_item::<_, T>,
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn small() -> Shape<shapes::Small> {
    Shape {
        name: "small",
        value: shapes::sample_small(),
        hand_to: shapes::hand_small_to_item,
        hand_from: shapes::hand_small_from_item,
        careful_to: careful::small_to_item,
        careful_from: careful::small_from_item,
    }
}

fn medium() -> Shape<user::User> {
    Shape {
        name: "medium",
        value: user::sample_user(),
        hand_to: user::hand_to_item,
        hand_from: user::hand_from_item,
        careful_to: careful::user_to_item,
        careful_from: careful::user_from_item,
    }
}

fn large() -> Shape<shapes::Large> {
    Shape {
        name: "large",
        value: shapes::sample_large(),
        hand_to: shapes::hand_large_to_item,
        hand_from: shapes::hand_large_from_item,
        careful_to: careful::large_to_item,
        careful_from: careful::large_from_item,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--callgrind") {
        callgrind(&args[i + 1..]);
        return;
    }
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    bench_shape(&mut c, small());
    bench_shape(&mut c, medium());
    bench_shape(&mut c, large());
    c.final_summary();
    // Under `cargo test` (no `--bench`) or with `--test`, criterion runs each
    // benchmark once without measuring: there is nothing to report.
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test") {
        report(started);
    }
}

// ------------------------------------------------------------------ instruction counts

/// `--callgrind <direction>/<shape>/<contender> [iterations]`: runs one
/// contender in a plain loop, for counting instructions (deterministic, unlike
/// time on a busy machine) and for finding where they go:
///
/// ```text
/// valgrind --tool=callgrind --toggle-collect='*callgrind_measured*' \
///     target/release/deps/conversions-<hash> --callgrind from_item/large/derive 1000
/// ```
///
/// Only `callgrind_measured` is counted: the inputs are cloned before it and
/// the outputs dropped after it, as in the criterion benchmarks.
fn callgrind(args: &[String]) {
    let id = args.first().map(String::as_str).unwrap_or("");
    let iterations: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let parts: Vec<&str> = id.split('/').collect();
    let [direction, shape, contender] = parts[..] else {
        panic!(
            "--callgrind <to_item|from_item>/<small|medium|large>/<derive|hand_written|careful|serde_dynamo> [iterations]"
        );
    };
    match shape {
        "small" => callgrind_shape(&small(), direction, contender, iterations),
        "medium" => callgrind_shape(&medium(), direction, contender, iterations),
        "large" => callgrind_shape(&large(), direction, contender, iterations),
        other => panic!("unknown shape {other}"),
    }
}

fn callgrind_shape<T>(shape: &Shape<T>, direction: &str, contender: &str, n: usize)
where
    T: DynamoItem + Serialize + DeserializeOwned + PartialEq + Debug,
{
    user::assert_conversions_agree(&shape.value, shape.hand_to, shape.hand_from);
    assert_careful_agrees(&shape.value, shape.careful_to, shape.careful_from);
    let value = &shape.value;
    let item = value.to_item().expect("to_item");
    let (hand_to, hand_from) = (shape.hand_to, shape.hand_from);
    let (careful_to, careful_from) = (shape.careful_to, shape.careful_from);
    let units = vec![(); n];
    let items = || (0..n).map(|_| item.clone()).collect::<Vec<_>>();
    let ok = match (direction, contender) {
        ("to_item", DERIVE) => count_ok(callgrind_measured(units, |()| value.to_item())),
        ("to_item", HAND) => callgrind_measured(units, |()| hand_to(value)).len(),
        ("to_item", CAREFUL) => callgrind_measured(units, |()| careful_to(value)).len(),
        ("to_item", SERDE) => count_ok(callgrind_measured(units, |()| {
            serde_dynamo::to_item::<_, Item>(value)
        })),
        ("from_item", DERIVE) => count_ok(callgrind_measured(items(), T::from_item)),
        ("from_item", HAND) => count_ok(callgrind_measured(items(), |i| hand_from(&i))),
        ("from_item", CAREFUL) => count_ok(callgrind_measured(items(), careful_from)),
        ("from_item", SERDE) => {
            count_ok(callgrind_measured(items(), serde_dynamo::from_item::<_, T>))
        }
        _ => panic!("unknown benchmark {direction}/{contender}"),
    };
    assert_eq!(ok, n, "every conversion succeeds");
    eprintln!("{direction}/{}/{contender}: {n} iterations", shape.name);
}

/// The careful conversions store the same item as the derive and read back
/// the same struct.
fn assert_careful_agrees<T>(value: &T, to: fn(&T) -> Item, from: fn(Item) -> Result<T, String>)
where
    T: DynamoItem + PartialEq + Debug,
{
    let derived = value.to_item().expect("derive to_item");
    assert_eq!(derived, to(value), "derive vs careful item");
    assert_eq!(&from(derived).expect("careful from_item"), value);
}

fn count_ok<O, E>(results: Vec<Result<O, E>>) -> usize {
    results.iter().filter(|r| r.is_ok()).count()
}

/// The loop callgrind counts (`--toggle-collect='*callgrind_measured*'`). The
/// inputs are made before it; the outputs are returned and dropped after it.
#[inline(never)]
fn callgrind_measured<I, O>(inputs: Vec<I>, f: impl FnMut(I) -> O) -> Vec<O> {
    let mut outputs = Vec::with_capacity(inputs.len());
    outputs.extend(inputs.into_iter().map(f));
    outputs
}

// ------------------------------------------------------------------ the ratio table

/// Where criterion writes its estimates: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else the `criterion` directory of the
/// target directory this binary was built in.
fn criterion_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(home.into());
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(Path::new(&target).join("criterion"));
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .map(|dir| dir.join("criterion"))
        .find(|dir| dir.is_dir())
}

/// The time per iteration in nanoseconds that criterion estimated for
/// `group/function` in this run: its typical estimate, the slope of the
/// linear fit over the samples (what it prints as `time:`; free of the fixed
/// per-sample overhead), or the median where there is no slope (flat
/// sampling). Older results are ignored: a filtered run reports only what it
/// measured.
fn estimate_ns(dir: &Path, group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = dir
        .join(group.replace('/', "_"))
        .join(function)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| json["median"]["point_estimate"].as_f64())
}

fn format_ns(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Prints the estimates, the ratios and whether each target is met, as a
/// markdown table, and saves it for `scripts/bench.sh`. The targets: at least
/// 3x faster than serde_dynamo on every shape, and within 1.10x of the careful
/// hand-written conversion (derive time ≤ 1.10 × careful time).
fn report(since: SystemTime) {
    let Some(dir) = criterion_dir() else {
        eprintln!("criterion's output directory not found; no ratio table");
        return;
    };
    let mut out = String::from(
        "| conversion | derive | naive hand-written | careful hand-written | serde_dynamo | derive / careful | serde_dynamo / derive | naive / derive | target (≥ 3x serde, ≤ 1.10x careful) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    let mut rows = 0;
    for direction in ["to_item", "from_item"] {
        for shape in ["small", "medium", "large"] {
            let group = format!("{direction}/{shape}");
            let [Some(derive), Some(hand), Some(careful), Some(serde)] =
                [DERIVE, HAND, CAREFUL, SERDE].map(|f| estimate_ns(&dir, &group, f, since))
            else {
                continue;
            };
            let (vs_careful, vs_serde, vs_hand) = (derive / careful, serde / derive, hand / derive);
            let verdict = |met: bool| if met { "met" } else { "**missed**" };
            let target = format!(
                "serde {}, careful {}",
                verdict(vs_serde >= 3.0),
                verdict(vs_careful <= 1.10)
            );
            out.push_str(&format!(
                "| {direction} {shape} | {} | {} | {} | {} | {vs_careful:.2}x | {vs_serde:.2}x | {vs_hand:.2}x | {target} |\n",
                format_ns(derive),
                format_ns(hand),
                format_ns(careful),
                format_ns(serde),
            ));
            rows += 1;
        }
    }
    if rows == 0 {
        return;
    }
    println!("\nConversions (criterion's typical time per conversion)\n\n{out}");
    if let Some(target) = dir.parent() {
        let summary = target.join("bench-summary");
        let written = std::fs::create_dir_all(&summary)
            .and_then(|()| std::fs::write(summary.join("conversions.md"), &out));
        if let Err(e) = written {
            eprintln!("could not save the summary: {e}");
        }
    }
}
