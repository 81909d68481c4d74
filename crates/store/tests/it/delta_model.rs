//! Random operations on nested deltas agree with a plain BTreeMap reference model.

use std::collections::BTreeMap;

use wicas_store::{Order, SharedDelta, StateDelta, StateRead, StateWrite};

use crate::helpers::{Rng, temp_store};

type Model = BTreeMap<Vec<u8>, Vec<u8>>;

fn key(rng: &mut Rng) -> Vec<u8> {
    // A small key space so puts, deletes and reads collide; some keys share prefixes.
    let prefixes: [&[u8]; 4] = [b"bank/", b"wasm/", b"", b"bank/a"];
    let mut k = prefixes[rng.below(4) as usize].to_vec();
    k.push(b'a' + rng.below(6) as u8);
    if rng.below(3) == 0 {
        k.push(0xff);
    }
    k
}

fn check_ranges(rng: &mut Rng, state: &impl StateRead, model: &Model, ctx: &str) {
    let start = (rng.below(4) != 0).then(|| key(rng));
    let end = (rng.below(4) != 0).then(|| key(rng));
    for order in [Order::Ascending, Order::Descending] {
        let got: Vec<_> = state
            .range_raw(start.as_deref(), end.as_deref(), order)
            .collect::<Result<_, _>>()
            .unwrap();
        let mut want: Vec<_> = model
            .iter()
            .filter(|(k, _)| start.as_ref().is_none_or(|s| *k >= s))
            .filter(|(k, _)| end.as_ref().is_none_or(|e| *k < e))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if order == Order::Descending {
            want.reverse();
        }
        assert_eq!(got, want, "{ctx}: range {start:?}..{end:?} {order:?}");
    }
}

#[test]
fn nested_deltas_match_a_btreemap_under_random_operations() {
    for seed in 1..=12u64 {
        let (_d, store) = temp_store();
        let mut rng = Rng::new(seed);
        // stack[0] is the block delta; each fork pushes a child and a copy of the model.
        let mut stack: Vec<StateDelta> = vec![store.new_delta().unwrap()];
        let mut models: Vec<Model> = vec![Model::new()];
        let mut committed = Model::new();
        for step in 0..600 {
            let ctx = format!("seed {seed} step {step} depth {}", stack.len());
            let top = stack.len() - 1;
            match rng.below(100) {
                0..=34 => {
                    let (k, v) = (key(&mut rng), vec![rng.below(256) as u8]);
                    stack[top].put_raw(k.clone(), v.clone());
                    models[top].insert(k, v);
                }
                35..=49 => {
                    let k = key(&mut rng);
                    stack[top].delete(&k);
                    models[top].remove(&k);
                }
                50..=59 if stack.len() < 6 => {
                    let child = stack[top].fork();
                    stack.push(child);
                    models.push(models[top].clone());
                }
                60..=66 if stack.len() > 1 => {
                    let child = stack.pop().unwrap();
                    let m = models.pop().unwrap();
                    stack.last_mut().unwrap().apply(child).unwrap();
                    *models.last_mut().unwrap() = m;
                }
                67..=71 if stack.len() > 1 => {
                    drop(stack.pop());
                    models.pop();
                }
                72..=73 if stack.len() == 1 => {
                    let delta = stack.pop().unwrap();
                    store.commit(delta).unwrap();
                    committed = models[0].clone();
                    stack.push(store.new_delta().unwrap());
                    let snap = store.latest_snapshot().unwrap();
                    check_ranges(&mut rng, &snap, &committed, &ctx);
                }
                _ => {
                    let k = key(&mut rng);
                    assert_eq!(
                        stack[top].get_raw(&k).unwrap(),
                        models[top].get(&k).cloned(),
                        "{ctx}"
                    );
                    check_ranges(&mut rng, &stack[top], &models[top], &ctx);
                    // The same view through a SharedDelta's live cursor.
                    let shared = SharedDelta::new(stack.pop().unwrap());
                    check_ranges(&mut rng, &shared, &models[top], &ctx);
                    stack.push(shared.into_inner().unwrap());
                    // A parent read while its child is alive still sees its own state.
                    if top > 0 {
                        check_ranges(&mut rng, &stack[top - 1], &models[top - 1], &ctx);
                    }
                }
            }
        }
        let _ = committed;
    }
}

#[test]
fn a_dropped_fork_leaves_nothing_and_an_applied_one_lands() {
    let (_d, store) = temp_store();
    let mut block = store.new_delta().unwrap();
    block.put_raw(b"bank/a".to_vec(), b"1".to_vec());
    let mut tx = block.fork();
    tx.put_raw(b"bank/b".to_vec(), b"2".to_vec());
    let mut sub = tx.fork();
    sub.delete(b"bank/a");
    drop(sub); // submessage failed
    block.apply(tx).unwrap();
    assert_eq!(block.get_raw(b"bank/a").unwrap(), Some(b"1".to_vec()));
    assert_eq!(block.get_raw(b"bank/b").unwrap(), Some(b"2".to_vec()));
    // Applying a delta from an unrelated snapshot is refused.
    let mut other = store.new_delta().unwrap();
    let stranger = store.new_delta().unwrap();
    let unrelated = {
        store.commit(stranger).unwrap();
        store.new_delta().unwrap()
    };
    assert!(other.apply(unrelated).is_err());
}

#[test]
fn a_shared_delta_is_one_state_for_every_handle() {
    let (_d, store) = temp_store();
    let shared = SharedDelta::new(store.new_delta().unwrap());
    let mut writer = shared.clone();
    writer.put_raw(b"wasm/c1/k1".to_vec(), b"v1".to_vec());
    writer.put_raw(b"wasm/c1/k2".to_vec(), b"v2".to_vec());
    assert_eq!(shared.get_raw(b"wasm/c1/k1").unwrap(), Some(b"v1".to_vec()));
    // The cursor sees writes made while iterating, in key order.
    let mut it = shared.range_raw(Some(b"wasm/c1/"), Some(b"wasm/c10"), Order::Ascending);
    assert_eq!(it.next().unwrap().unwrap().0, b"wasm/c1/k1");
    writer.put_raw(b"wasm/c1/k15".to_vec(), b"new".to_vec());
    assert_eq!(it.next().unwrap().unwrap().0, b"wasm/c1/k15");
    assert_eq!(it.next().unwrap().unwrap().0, b"wasm/c1/k2");
    assert!(it.next().is_none());
    drop(it);
    // A forked child can't be applied while another handle to it exists.
    let child = shared.fork();
    let mut child_handle = child.clone();
    child_handle.delete(b"wasm/c1/k1");
    assert!(shared.apply(child).is_err());
    drop(writer);
    let child = shared.fork();
    let mut c = child.clone();
    c.delete(b"wasm/c1/k2");
    drop(c);
    shared.apply(child).unwrap();
    assert_eq!(shared.get_raw(b"wasm/c1/k2").unwrap(), None);
    let delta = shared.into_inner().unwrap();
    store.commit(delta).unwrap();
    assert_eq!(
        store
            .latest_snapshot()
            .unwrap()
            .get_raw(b"wasm/c1/k1")
            .unwrap(),
        Some(b"v1".to_vec())
    );
}
