// The Alert Explorer tree's queries under way, one per node ('root', or 'group:' and its key). Kept apart from the tree
// (no VS Code import) so that its rules are unit-tested: on a large log a query takes up to a second (a text filter's
// first use reads the whole file), and VS Code may ask for a node again, or the user change a setting, meanwhile.
//
// - The same query already under way for a node is shared (VS Code and a command asking at once) until the tree is
//   refreshed: after a refresh the log may have grown, and an answer computed before it would be an old one.
// - A later query of the node replaces it: the one under way is cancelled (the server stops working on it) and its
//   callers get the new answer. Queries of other nodes are left alone: a refresh of the root makes VS Code ask again
//   for the groups it shows, which replaces their queries, while a caller that asked for a group itself still gets its
//   answer.
// - When the settings change (grouping, filter, folding, the log), every query under way is cancelled, and its callers
//   get the answer of the next query of their node under the new settings. Answering them nothing would show an
//   empty tree (or an empty group) until the new answer arrives; the old tree stays instead. A node that is not asked
//   again (a group of the old grouping) answers nothing once the root's new answer has arrived: by then the tree is
//   the new one.
// - `clear` (the log closed, the tree disposed) cancels every query under way and its callers get nothing.

/** What a query needs of a cancellation source (VS Code's CancellationTokenSource in the extension). */
export interface QueryCancellation<Token> {
  readonly token: Token & { readonly isCancellationRequested: boolean };
  cancel(): void;
  dispose(): void;
}

interface TreeQuery<Token> {
  node: string;
  /** The refresh it belongs to, and what it asks (method and parameters). */
  key: string;
  source: QueryCancellation<Token>;
  /** What its callers get. */
  answer: Promise<unknown>;
  /** Once it is cancelled: what its callers get instead of its own answer (a later query's, or nothing). */
  instead: Promise<unknown>;
  settle: (value: unknown) => void;
  /** Cancels the request; its callers get `instead` without waiting for the server to answer the cancellation. */
  cancel: () => void;
}

export const ROOT_NODE = 'root';

export class TreeQueries<Token> {
  private readonly running = new Map<string, TreeQuery<Token>>();
  /** Queries cancelled by a change of the settings, by node, waiting for the node's next query. */
  private readonly orphans = new Map<string, TreeQuery<Token>[]>();
  /** Counts the tree's refreshes. */
  private generation = 0;

  constructor(
    private readonly send: (method: string, params: object, token: Token) => Promise<unknown>,
    private readonly cancellation: () => QueryCancellation<Token>,
  ) {}

  /** The tree was refreshed: a query asked from now on is not shared with one asked before. */
  refresh(): void { this.generation++; }

  /** Sends a query of `node` (or shares the same one under way); resolves undefined when it is given up. */
  ask<R>(node: string, method: string, params: object): Promise<R | undefined> {
    const key = `${this.generation}\u0000${method}\u0000${JSON.stringify(params)}`;
    const running = this.running.get(node);
    if (running && running.key === key) return running.answer as Promise<R | undefined>;
    let settle: (value: unknown) => void = () => undefined;
    const instead = new Promise<unknown>((resolve) => { settle = resolve; });
    let cancelled: () => void = () => undefined;
    const whenCancelled = new Promise<void>((resolve) => { cancelled = resolve; });
    const source = this.cancellation();
    const query: TreeQuery<Token> = {
      node, key, source, answer: Promise.resolve(undefined), instead, settle, cancel: () => { source.cancel(); cancelled(); },
    };
    query.answer = Promise.race([this.run(query, method, params), whenCancelled.then(() => instead)]);
    // The callers of the query it replaces, and of the node's queries cancelled by a change of the settings, get its
    // answer (not its failure: that is its own callers').
    const successor = query.answer.catch(() => undefined);
    if (running) { running.cancel(); running.settle(successor); }
    for (const orphan of this.orphans.get(node) ?? []) orphan.settle(successor);
    this.orphans.delete(node);
    this.running.set(node, query);
    return query.answer as Promise<R | undefined>;
  }

  /** The settings changed: every query under way is cancelled, its callers wait for their node's next answer. */
  settingsChanged(): void {
    for (const query of this.running.values()) {
      query.cancel();
      this.orphans.set(query.node, [...this.orphans.get(query.node) ?? [], query]);
    }
    this.running.clear();
  }

  /** Cancels every query under way; their callers, and those waiting since a change of the settings, get nothing. */
  clear(): void {
    for (const query of this.running.values()) { query.cancel(); query.settle(undefined); }
    this.running.clear();
    this.releaseOrphans();
  }

  /** How many queries are under way (tests). */
  get size(): number { return this.running.size; }

  private async run(query: TreeQuery<Token>, method: string, params: object): Promise<unknown> {
    const { token } = query.source;
    try {
      const answer = await this.send(method, params, token);
      // Cancelled meanwhile: its answer came before the cancellation reached the server, and is for a tree that is gone.
      if (token.isCancellationRequested) return await query.instead;
      if (query.node === ROOT_NODE) this.releaseOrphans();
      return answer;
    } catch (e) {
      if (token.isCancellationRequested) return await query.instead;
      if (query.node === ROOT_NODE) this.releaseOrphans();
      throw e;
    } finally {
      if (this.running.get(query.node) === query) this.running.delete(query.node);
      query.source.dispose();
    }
  }

  /** The queries still waiting since a change of the settings get nothing: their nodes were not asked again. */
  private releaseOrphans(): void {
    for (const orphans of this.orphans.values()) for (const orphan of orphans) orphan.settle(undefined);
    this.orphans.clear();
  }
}
