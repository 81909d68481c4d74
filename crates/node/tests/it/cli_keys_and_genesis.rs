//! `wicasd keys` and `wicasd genesis` on a home, no node needed.

use crate::support::{fails, ok, ok_json, run_with_stdin};

/// CosmJS 0.38.1 `DirectSecp256k1HdWallet.fromMnemonic(…, { prefix: "wicas" })` gives this
/// address for this mnemonic (Cosmos HD path): a recovered key is the same account in Keplr.
const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const COSMJS_ADDRESS: &str = "wicas19rl4cm2hmr8afy4kldpxz3fka4jguq0ax0kzgu";

#[test]
fn keys_are_made_recovered_listed_and_shown_and_bad_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap();
    ok(&["init", "--home", home]);

    let new = ok_json(&["keys", "add", "alice", "--home", home]);
    let phrase = new["mnemonic"].as_str().unwrap();
    assert_eq!(phrase.split(' ').count(), 24);
    let alice = new["address"].as_str().unwrap();
    assert!(alice.starts_with("wicas1"), "{alice}");

    // Recovering alice's own mnemonic under another name gives alice's address.
    let out = run_with_stdin(
        &[
            "keys",
            "add",
            "alice2",
            "--recover",
            "--home",
            home,
            "-o",
            "json",
        ],
        phrase,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["address"], alice);
    assert!(
        again.get("mnemonic").is_none(),
        "a recovered key does not echo its mnemonic"
    );

    let out = run_with_stdin(
        &["keys", "add", "abby", "--recover", "--home", home],
        MNEMONIC,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        ok(&["keys", "show", "abby", "-a", "--home", home]).trim(),
        COSMJS_ADDRESS
    );

    // init's genesis key is in the same keyring and keeps working.
    let list = ok_json(&["keys", "list", "--home", home]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["abby", "alice", "alice2", "validator"]);
    let shown = ok_json(&["keys", "show", "validator", "--home", home]);
    assert!(
        shown["pubkey"]
            .as_str()
            .unwrap()
            .contains("/cosmos.crypto.secp256k1.PubKey")
    );

    // Tried: a taken name, an unknown key, a bad name, a bad mnemonic, an empty stdin.
    let err = fails(&["keys", "add", "alice", "--home", home]);
    assert!(err.contains("already exists"), "{err}");
    let err = fails(&["keys", "show", "nobody", "--home", home]);
    assert!(err.contains("no key named \"nobody\""), "{err}");
    let err = fails(&["keys", "add", "../x", "--home", home]);
    assert!(err.contains("key name"), "{err}");
    let out = run_with_stdin(
        &["keys", "add", "bad", "--recover", "--home", home],
        "abandon wicas",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid mnemonic"));
    let out = run_with_stdin(&["keys", "add", "bad", "--recover", "--home", home], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no mnemonic"));
}

#[test]
fn genesis_accounts_and_validators_are_added_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("a");
    let other = dir.path().join("b");
    let (home, other) = (home.to_str().unwrap(), other.to_str().unwrap());
    ok(&["init", "--home", home]);
    ok(&["init", "--home", other]);
    ok_json(&["keys", "add", "bob", "--home", home]);

    ok(&[
        "genesis",
        "add-account",
        "bob",
        "123uwicas,5ufoo",
        "--home",
        home,
    ]);
    ok(&[
        "genesis",
        "add-account",
        COSMJS_ADDRESS,
        "7uwicas",
        "--home",
        home,
    ]);
    ok(&[
        "genesis",
        "add-validator",
        "--from-home",
        other,
        "--power",
        "5",
        "--home",
        home,
    ]);
    let g: serde_json::Value =
        serde_json::from_slice(&std::fs::read(format!("{home}/config/genesis.json")).unwrap())
            .unwrap();
    let balances = g["app_state"]["bank"]["balances"].as_array().unwrap();
    assert_eq!(balances.len(), 3);
    assert_eq!(
        balances[1]["coins"][0]["denom"], "ufoo",
        "coins are sorted by denom"
    );
    assert_eq!(g["validators"].as_array().unwrap().len(), 2);

    // Tried: bad coins, an address with another prefix, an unknown key, a repeated account,
    // a repeated validator, a key that is not an ed25519 point.
    let err = fails(&["genesis", "add-account", "bob", "12", "--home", home]);
    assert!(err.contains("invalid coins"), "{err}");
    let err = fails(&[
        "genesis",
        "add-account",
        "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0ax0kzgu",
        "1uwicas",
        "--home",
        home,
    ]);
    assert!(err.contains("neither a valid wicas address"), "{err}");
    let err = fails(&["genesis", "add-account", "carol", "1uwicas", "--home", home]);
    assert!(err.contains("neither a valid wicas address"), "{err}");
    let err = fails(&["genesis", "add-account", "bob", "1uwicas", "--home", home]);
    assert!(err.contains("already has a genesis balance"), "{err}");
    let err = fails(&[
        "genesis",
        "add-validator",
        "--from-home",
        other,
        "--home",
        home,
    ]);
    assert!(err.contains("already in the genesis"), "{err}");
    let err = fails(&["genesis", "add-validator", "zz", "--home", home]);
    assert!(err.contains("not hex"), "{err}");
}
