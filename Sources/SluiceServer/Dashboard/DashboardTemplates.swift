import Mustache

/// The dashboard's templates, compiled into the binary so that a copied `sluice` needs no resource folder. Every
/// `{{value}}` is HTML-escaped; no template uses triple braces.
enum DashboardTemplates {
    /// The library of every template; `layout` wraps each page through `{{$body}}`.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("login", login), ("pipeline", pipeline), ("run", run), ("brands", brands),
            ("brand", brand),
            ("confirm", confirm), ("error", error),
        ] {
            // The templates are constants of this file: a parse error is a programming error caught by the tests.
            try! library.register(text, named: name)
        }
        return library
    }()

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Sluice</title>
        <style>
        :root { --ink: #1d2330; --muted: #5d6678; --line: #d9dee7; --accent: #2456c7; --bg: #f6f7fa;
          --fresh: #1f8a4c; --stale: #b7791f; --failing: #c53030; --unknown: #718096; --refreshing: #2b6cb0; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .75rem 1.25rem; background: #fff;
          border-bottom: 1px solid var(--line); flex-wrap: wrap; }
        header strong { font-size: 1.1rem; }
        header nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
        header form { margin-left: auto; }
        main { padding: 1.25rem; max-width: 1200px; margin: 0 auto; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem;
          margin-bottom: 1.25rem; overflow-x: auto; }
        h1 { font-size: 1.4rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: .85rem; }
        code { font-size: .85rem; }
        .state { display: inline-block; padding: 0 .5rem; border-radius: 999px; color: #fff; font-size: .8rem; }
        .state-fresh, .state-succeeded { background: var(--fresh); }
        .state-stale, .state-retrying, .state-queued { background: var(--stale); }
        .state-failing, .state-failed, .state-timed_out { background: var(--failing); }
        .state-unknown, .state-cancelled { background: var(--unknown); }
        .state-refreshing, .state-running { background: var(--refreshing); }
        .empty { color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
        dt { color: var(--muted); } dd { margin: 0; }
        progress { width: 100%; height: 1rem; }
        .log { font: .85rem/1.4 ui-monospace, monospace; white-space: pre-wrap; margin: 0; }
        .level-warning { color: var(--stale); } .level-error { color: var(--failing); }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
        .error { color: var(--failing); font-weight: 600; }
        input, button { font: inherit; padding: .4rem .6rem; }
        button { background: var(--accent); color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
        button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f6ad55; outline-offset: 2px; }
        </style>
        </head>
        <body>
        {{#identity}}
        <header>
          <strong>🌊 Sluice</strong>
          <nav aria-label="Main"><a href="/">Pipeline Manager</a><a href="/brands">Brands</a></nav>
          <span class="empty">{{name}} ({{role}})</span>
          <form method="post" action="/logout">
            <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button>
          </form>
        </header>
        {{/identity}}
        <main>{{$body}}{{/body}}</main>
        </body>
        </html>
        """

    static let login = """
        {{<layout}}{{$body}}
        <section style="max-width: 28rem; margin: 3rem auto;">
          <h1>Log in to Sluice</h1>
          {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
          <form method="post" action="/login">
            <p><label for="token">API token</label><br>
            <input id="token" name="token" type="password" autocomplete="off" required style="width: 100%"></p>
            <p><button type="submit">Log in</button></p>
          </form>
          <p class="empty">The first start of <code>sluice serve</code> prints an admin token. Admins create more
          with <code>POST /api/v1/tokens</code>.</p>
        </section>
        {{/body}}{{/layout}}
        """

    static let pipeline = """
        {{<layout}}{{$body}}
        <h1>Pipeline Manager</h1>
        <section aria-labelledby="types">
          <h2 id="types">Job types</h2>
          <table>
            <thead><tr><th></th><th>Job type</th><th>Dataset</th><th>Default parameters</th><th>Queued</th>
              <th>Running</th><th>Retrying</th></tr></thead>
            <tbody>
            {{#jobTypes}}
              <tr><td>{{emoji}}</td><td>{{label}}<br><code>{{name}}</code></td><td>{{dataset}}</td>
                <td><code>{{defaults}}</code></td><td>{{queued}}</td><td>{{running}}</td><td>{{retrying}}</td></tr>
            {{/jobTypes}}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="freshness">
          <h2 id="freshness">Dataset freshness</h2>
          {{^freshness}}<p class="empty">No brand yet. Create one with <code>POST /api/v1/brands</code>; its
          datasets appear here.</p>{{/freshness}}
          {{#hasFreshness}}
          <table>
            <thead><tr><th>Brand</th><th>Dataset</th><th>State</th><th>Last success</th><th>Rows</th></tr></thead>
            <tbody>
            {{#freshness}}
              <tr><td>{{brand}}</td><td>{{dataset}}</td><td><span class="state state-{{state}}">{{state}}</span></td>
                <td>{{lastSuccess}}</td><td>{{rows}}</td></tr>
            {{/freshness}}
            </tbody>
          </table>
          {{/hasFreshness}}
        </section>
        <section aria-labelledby="runs">
          <h2 id="runs">Recent runs</h2>
          {{^runs}}<p class="empty">No runs yet. Queue a job with <code>POST /api/v1/jobs</code> and it shows
          here.</p>{{/runs}}
          {{#hasRuns}}
          <table>
            <thead><tr><th>Run</th><th>Job type</th><th>State</th><th>Attempt</th><th>Created</th><th>Error</th>
              </tr></thead>
            <tbody>
            {{#runs}}
              <tr><td><a href="/runs/{{id}}">#{{id}}</a></td><td>{{jobType}}</td><td><span class="state state-{{state}}">{{state}}</span></td>
                <td>{{attempt}}</td><td>{{created}}</td><td>{{error}}</td></tr>
            {{/runs}}
            </tbody>
          </table>
          {{/hasRuns}}
        </section>
        {{/body}}{{/layout}}
        """

    static let run = """
        {{<layout}}{{$body}}
        <h1>Run #{{id}} <span class="state state-{{state}}" id="run-state">{{state}}</span></h1>
        <section aria-labelledby="about">
          <h2 id="about">{{jobType}} · job {{jobID}} · attempt {{attempt}} of {{maxAttempts}}</h2>
          {{#hasProgress}}<p><progress max="100" value="{{percent}}">{{percent}}%</progress> {{progressMessage}}</p>
          {{/hasProgress}}
          {{#cancelRequested}}<p class="empty">Cancellation requested; the worker stops the handler at its next
          check.</p>{{/cancelRequested}}
          <dl>
            <dt>Parameters</dt><dd><code>{{parameters}}</code></dd>
            <dt>Created</dt><dd>{{created}}</dd><dt>Started</dt><dd>{{started}}</dd>
            <dt>Finished</dt><dd>{{finished}}</dd><dt>Worker</dt><dd>{{worker}}</dd>
            <dt>Log</dt><dd>{{summary}}</dd>
            {{#hasResult}}<dt>Result</dt><dd><code>{{result}}</code></dd>{{/hasResult}}
            {{#hasError}}<dt>Error</dt><dd class="error">{{error}}</dd>{{/hasError}}
          </dl>
          {{#identity.operator}}
          <div class="actions">
            {{#canCancel}}<form method="post" action="/runs/{{id}}/cancel"><input type="hidden" name="csrf"
              value="{{identity.csrf}}"><button type="submit">Cancel run</button></form>{{/canCancel}}
            {{#canRetry}}<form method="post" action="/runs/{{id}}/retry"><input type="hidden" name="csrf"
              value="{{identity.csrf}}"><button type="submit">Retry run</button></form>{{/canRetry}}
          </div>
          {{/identity.operator}}
        </section>
        <section aria-labelledby="log">
          <h2 id="log">Log</h2>
          {{^hasLines}}<p class="empty">No log lines yet.</p>{{/hasLines}}
          <pre class="log" id="log-lines" data-last-id="{{lastLogID}}">{{#lines}}<span class="level-{{level}}">{{at}}  {{message}}</span>
        {{/lines}}</pre>
        </section>
        {{/body}}{{/layout}}
        """

    static let brands = """
        {{<layout}}{{$body}}
        <h1>Brands</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <section aria-labelledby="list">
          <h2 id="list">Your brands</h2>
          {{^hasBrands}}<p class="empty">No brand yet. Create the first one below, then add the competitors
          whose ads you want to track.</p>{{/hasBrands}}
          <ul>{{#brands}}<li><a href="/brands/{{id}}">{{name}}</a></li>{{/brands}}</ul>
        </section>
        {{#canCreate}}
        <section aria-labelledby="new">
          <h2 id="new">New brand</h2>
          <form method="post" action="/brands">
            <input type="hidden" name="csrf" value="{{identity.csrf}}">
            <label for="brand-name">Name</label> <input id="brand-name" name="name" required maxlength="200">
            <button type="submit">Create brand</button>
          </form>
        </section>
        {{/canCreate}}
        {{/body}}{{/layout}}
        """

    static let brand = """
        {{<layout}}{{$body}}
        {{#brand}}<h1>{{name}}</h1>{{/brand}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <section aria-labelledby="competitors">
          <h2 id="competitors">Competitors</h2>
          {{^hasCompetitors}}<p class="empty">No competitor yet. Add one with its Ad Library URL, then scrape its
          ads.</p>{{/hasCompetitors}}
          {{#hasCompetitors}}
          <table>
            <thead><tr><th>Name</th><th>Page id</th><th>Ad Library URL</th><th></th></tr></thead>
            <tbody>
            {{#competitors}}
              <tr><td>{{name}}</td><td>{{pageID}}</td><td><code>{{url}}</code></td>
                <td>{{#canEdit}}<a href="/competitors/{{id}}/delete">Delete…</a>{{/canEdit}}</td></tr>
            {{/competitors}}
            </tbody>
          </table>
          {{/hasCompetitors}}
        </section>
        {{#canEdit}}
        <section aria-labelledby="new">
          <h2 id="new">New competitor</h2>
          <form method="post" action="/brands/{{brand.id}}/competitors">
            <input type="hidden" name="csrf" value="{{identity.csrf}}">
            <p><label for="c-name">Name</label><br><input id="c-name" name="name" required maxlength="200"></p>
            <p><label for="c-page">Page id (optional)</label><br><input id="c-page" name="page_id" inputmode="numeric"
              maxlength="30"></p>
            <p><label for="c-url">Ad Library URL (optional)</label><br><input id="c-url" name="ad_library_url"
              type="url" maxlength="2000" style="width: 100%"></p>
            <p><button type="submit">Add competitor</button></p>
          </form>
        </section>
        {{/canEdit}}
        {{#canDelete}}<p><a href="/brands/{{brand.id}}/delete">Delete this brand…</a></p>{{/canDelete}}
        {{/body}}{{/layout}}
        """

    static let confirm = """
        {{<layout}}{{$body}}
        <section style="max-width: 36rem;">
          <h1>{{title}}</h1>
          <p>{{question}} This cannot be undone.</p>
          <form method="post" action="{{action}}" class="actions">
            <input type="hidden" name="csrf" value="{{identity.csrf}}">
            <button type="submit">Delete</button> <a href="{{back}}">Keep it</a>
          </form>
        </section>
        {{/body}}{{/layout}}
        """

    static let error = """
        {{<layout}}{{$body}}
        <section style="max-width: 36rem; margin: 3rem auto;">
          <h1>{{status}} · {{title}}</h1>
          <p>{{message}}</p>
          <p class="empty">Request id {{requestID}}.</p>
          <p><a href="/">Back to the Pipeline Manager</a></p>
        </section>
        {{/body}}{{/layout}}
        """
}
