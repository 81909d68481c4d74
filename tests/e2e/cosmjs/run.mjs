// CosmJS 0.38.1, unmodified, against a running wicasd (scripts/e2e starts the node).
//
// Phase "main": register the model (MsgRegisterModel by the ai authority), upload and
// instantiate nameservice-ai, register a name, execute Describe (a contract query that runs
// SmolLM2 inside the tx), smart-query the stored answer; upload cw20-base, transfer, check
// balances; then two failing txs (an overdraft refused at simulation, and one committed with a
// fixed fee that fails in the block) that must come back as clean errors and change nothing.
// Phase "after-restart": the node was stopped and started again; CosmJS must still find the
// txs and read the same state.
//
// Env: WICAS_RPC (http://host:port), WICAS_HOME (the node's home, for the funded key),
// WICAS_CONTRACTS (dir with nameservice_ai.wasm, cw20_base.wasm), WICAS_MODEL_SHA256 (hex),
// WICAS_STATE (a JSON file the main phase writes and the second phase reads).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SigningCosmWasmClient, CosmWasmClient, wasmTypes } from "@cosmjs/cosmwasm-stargate";
import { DirectSecp256k1Wallet, DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { GasPrice, defaultRegistryTypes, calculateFee, isDeliverTxFailure } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

const PREFIX = "wicas";
// "auto" gas: CosmJS simulates with SIGN_MODE_UNSPECIFIED and an empty signature, which the
// app's Simulate accepts (blocks do not). WICAS_E2E_SIMULATE=0 uses fixed fees throughout.
const SIMULATE_WORKS = process.env.WICAS_E2E_SIMULATE !== "0";
const DENOM = "uwicas";
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const rpc = env("WICAS_RPC");
const home = env("WICAS_HOME");
const phase = process.argv[2] ?? "main";

function check(cond, what, detail) {
  if (!cond) {
    throw new Error(`MISMATCH: ${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
  }
  console.log(`ok - ${what}`);
}

// `wicas.ai.v1.MsgRegisterModel` (crates/app/src/ai/msg_register.rs), hand-written for the
// registry as CosmJS expects a ts-proto generated type.
const MsgRegisterModel = {
  encode(m, w = BinaryWriter.create()) {
    if (m.authority) w.uint32(10).string(m.authority);
    if (m.sha256) w.uint32(18).string(m.sha256);
    if (m.name) w.uint32(26).string(m.name);
    if (m.architecture) w.uint32(34).string(m.architecture);
    if (m.prefillPrice) w.uint32(40).uint64(m.prefillPrice);
    if (m.decodePrice) w.uint32(48).uint64(m.decodePrice);
    return w;
  },
  decode(input) {
    const r = input instanceof BinaryReader ? input : new BinaryReader(input);
    const m = this.fromPartial({});
    while (r.pos < r.len) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1: m.authority = r.string(); break;
        case 2: m.sha256 = r.string(); break;
        case 3: m.name = r.string(); break;
        case 4: m.architecture = r.string(); break;
        case 5: m.prefillPrice = r.uint64(); break;
        case 6: m.decodePrice = r.uint64(); break;
        default: r.skipType(tag & 7);
      }
    }
    return m;
  },
  fromPartial(o) {
    return {
      authority: o.authority ?? "",
      sha256: o.sha256 ?? "",
      name: o.name ?? "",
      architecture: o.architecture ?? "",
      prefillPrice: BigInt(o.prefillPrice ?? 0),
      decodePrice: BigInt(o.decodePrice ?? 0),
    };
  },
};

async function connect() {
  const keyFile = JSON.parse(readFileSync(join(home, "keyring", "validator.json"), "utf8"));
  const wallet = await DirectSecp256k1Wallet.fromKey(Buffer.from(keyFile.priv_key, "hex"), PREFIX);
  const [account] = await wallet.getAccounts();
  check(account.address === keyFile.address, "the keyring address is CosmJS's address", account.address);
  const registry = new Registry([
    ...defaultRegistryTypes,
    ...wasmTypes,
    ["/wicas.ai.v1.MsgRegisterModel", MsgRegisterModel],
  ]);
  const fee = (gas) => calculateFee(gas, GasPrice.fromString(`0.025${DENOM}`));
  const client = await SigningCosmWasmClient.connectWithSigner(rpc, wallet, {
    registry,
    gasPrice: GasPrice.fromString(`0.025${DENOM}`),
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 120_000,
  });
  return { client, me: account.address, fee };
}

// The first value of an xstream (a CosmJS subscription), then unsubscribe; fails after 60 s.
function firstOf(stream, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`MISMATCH: no ${what} within 60 s`)), 60_000);
    const sub = stream.subscribe({
      next: (v) => { clearTimeout(timer); sub.unsubscribe(); resolve(v); },
      error: (e) => { clearTimeout(timer); reject(new Error(`MISMATCH: ${what}: ${e}`)); },
      complete: () => { clearTimeout(timer); reject(new Error(`MISMATCH: ${what}: the stream ended`)); },
    });
  });
}

async function main() {
  const contracts = env("WICAS_CONTRACTS");
  const modelHash = env("WICAS_MODEL_SHA256");
  const { client, me, fee } = await connect();
  const auto = (gas) => (SIMULATE_WORKS ? "auto" : fee(gas));
  const chainId = await client.getChainId();
  check(chainId.length > 0, "status gives the chain id", chainId);
  const h0 = await client.getHeight();
  check(h0 > 0, "the chain has blocks", h0);
  // CometBFT's websocket (/websocket): a NewBlock subscription receives a block, and a Tx
  // subscription receives the next tx CosmJS sends (MsgRegisterModel below).
  const ws = await Comet38Client.connect(rpc.replace(/^http/, "ws"));
  const newBlock = await firstOf(ws.subscribeNewBlock(), "NewBlock event");
  check(newBlock.header.chainId === chainId && newBlock.header.height >= h0,
    "a websocket NewBlock subscription receives a block", newBlock.header.height);
  const txEvent = firstOf(ws.subscribeTx(`tx.height>=${h0}`), "Tx event");
  await new Promise((r) => setTimeout(r, 500)); // let the subscribe request reach the node first
  const start = await client.getBalance(me, DENOM);
  check(BigInt(start.amount) > 0n, "the genesis account is funded", start);

  // A fresh key the chain has never seen: its account query is NotFound, which CosmJS maps to null.
  const stranger = await DirectSecp256k1HdWallet.generate(12, { prefix: PREFIX });
  const [bob] = await stranger.getAccounts();
  check((await client.getAccount(bob.address)) === null, "an unknown account reads as null");

  // 1. The ai authority registers the default model.
  const modelId = `sha256:${modelHash}`;
  const reg = await client.signAndBroadcast(me, [{
    typeUrl: "/wicas.ai.v1.MsgRegisterModel",
    value: {
      authority: me,
      sha256: modelId,
      name: "SmolLM2-135M-Instruct",
      architecture: "llama",
      prefillPrice: 10_000,
      decodePrice: 100_000,
    },
  }], auto(200_000));
  check(reg.code === 0, "MsgRegisterModel is committed", reg.rawLog);
  const seen = await txEvent;
  check(Buffer.from(seen.hash).toString("hex").toUpperCase() === reg.transactionHash
    && seen.height === reg.height && seen.result.code === 0,
    "a websocket Tx subscription receives the tx CosmJS sent", seen.height);
  ws.disconnect();

  // 2. nameservice-ai: upload, instantiate, register, Describe (inference inside the tx).
  const nsWasm = readFileSync(join(contracts, "nameservice_ai.wasm"));
  const up = await client.upload(me, nsWasm, auto(20_000_000));
  check(up.codeId > 0, "nameservice-ai is stored", up.codeId);
  const ns = await client.instantiate(me, up.codeId,
    { purchase_price: null, transfer_price: null, model: modelId, max_tokens: 24 },
    "nameservice-ai", auto(2_000_000));
  check(ns.contractAddress.startsWith(PREFIX), "nameservice-ai is instantiated", ns.contractAddress);
  const r1 = await client.execute(me, ns.contractAddress, { register: { name: "wicas" } }, auto(2_000_000));
  check(r1.height > 0, "a name is registered", r1.transactionHash);
  const owner = await client.queryContractSmart(ns.contractAddress, { resolve_record: { name: "wicas" } });
  check(owner.address === me, "the name resolves to its owner", owner);

  const d = await client.execute(me, ns.contractAddress, { describe: { name: "wicas" } }, auto(50_000_000));
  check(d.events.some((e) => e.type === "wasm"), "Describe is committed with the contract's events",
    d.events.map((e) => e.type));
  const answer = await client.queryContractSmart(ns.contractAddress, { description: { name: "wicas" } });
  const desc = answer.description;
  check(desc && typeof desc.text === "string" && desc.text.length > 0, "the model's answer is stored", answer);
  check(/^[0-9a-f]{64}$/.test(desc.digest), "the answer carries its digest", desc.digest);
  check(desc.model === modelId && desc.owner === me && desc.height === d.height,
    "the answer names the model, the owner and the height", desc);
  console.log(`model answer: ${JSON.stringify(desc.text)} (digest ${desc.digest})`);

  // 3. cw20-base: upload, instantiate with a balance, transfer, balances.
  const cw20 = await client.upload(me, readFileSync(join(contracts, "cw20_base.wasm")), auto(20_000_000));
  const token = await client.instantiate(me, cw20.codeId, {
    name: "Wicas Token", symbol: "WCT", decimals: 6,
    initial_balances: [{ address: me, amount: "1000" }], mint: null,
  }, "cw20", auto(2_000_000));
  const t = await client.execute(me, token.contractAddress,
    { transfer: { recipient: bob.address, amount: "250" } }, auto(2_000_000));
  check(t.height > 0, "a cw20 transfer is committed", t.transactionHash);
  const balance = async (who) =>
    (await client.queryContractSmart(token.contractAddress, { balance: { address: who } })).balance;
  check(await balance(me) === "750", "the sender's cw20 balance is 750");
  check(await balance(bob.address) === "250", "the recipient's cw20 balance is 250");

  // 4. Failing txs come back as clean errors and change nothing.
  const overdraft = { transfer: { recipient: bob.address, amount: "1000000" } };
  if (SIMULATE_WORKS) {
    let simError = null;
    try {
      await client.execute(me, token.contractAddress, overdraft, "auto");
    } catch (e) {
      simError = String(e.message ?? e);
    }
    check(simError !== null && /overflow|insufficient|cannot sub/i.test(simError),
      "an overdraft is refused at simulation with the contract's error", simError);
  }
  const msg = {
    typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
    value: {
      sender: me, contract: token.contractAddress,
      msg: new TextEncoder().encode(JSON.stringify(overdraft)), funds: [],
    },
  };
  const failed = await client.signAndBroadcast(me, [msg], fee(2_000_000));
  check(isDeliverTxFailure(failed), "an overdraft with a fixed fee is committed as a failure", failed.code);
  check(/overflow|insufficient|cannot sub/i.test(failed.rawLog ?? ""), "its log says why", failed.rawLog);
  const indexed = await client.getTx(failed.transactionHash);
  check(indexed && indexed.code === failed.code && indexed.height === failed.height,
    "the failed tx is indexed with its code", indexed && { code: indexed.code, height: indexed.height });
  check(await balance(me) === "750" && await balance(bob.address) === "250", "the failure moved nothing");

  const found = await client.getTx(d.transactionHash);
  check(found && found.code === 0 && found.height === d.height, "getTx finds the Describe tx", found?.height);
  const byHeight = await client.searchTx(`tx.height=${t.height}`);
  check(byHeight.some((x) => x.hash === t.transactionHash), "searchTx by height finds the transfer");

  writeFileSync(env("WICAS_STATE"), JSON.stringify({
    describe: d.transactionHash, describeHeight: d.height, failed: failed.transactionHash,
    ns: ns.contractAddress, token: token.contractAddress, bob: bob.address, text: desc.text,
  }));
  client.disconnect();
}

async function afterRestart() {
  const s = JSON.parse(readFileSync(env("WICAS_STATE"), "utf8"));
  const client = await CosmWasmClient.connect(rpc);
  const found = await client.getTx(s.describe);
  check(found && found.code === 0 && found.height === s.describeHeight,
    "after a restart, getTx still finds the Describe tx", found?.height);
  const failed = await client.getTx(s.failed);
  check(failed && failed.code !== 0, "after a restart, the failed tx is still indexed with its code");
  const answer = await client.queryContractSmart(s.ns, { description: { name: "wicas" } });
  check(answer.description?.text === s.text, "after a restart, the stored answer is the same");
  const b = await client.queryContractSmart(s.token, { balance: { address: s.bob } });
  check(b.balance === "250", "after a restart, the cw20 balance is the same");
  const h = await client.getHeight();
  check(h > s.describeHeight, "after a restart, the chain keeps committing", h);
  client.disconnect();
}

// Exit explicitly: after `disconnect()`, CosmJS's websocket client can leave a socket or timer
// behind that keeps Node's event loop (and so scripts/e2e) waiting forever.
(phase === "after-restart" ? afterRestart() : main()).then(
  () => {
    console.log(`cosmjs e2e (${phase}): all checks passed`);
    process.exit(0);
  },
  (e) => {
    console.error(`cosmjs e2e (${phase}) FAILED: ${e.stack ?? e}`);
    process.exit(1);
  },
);
