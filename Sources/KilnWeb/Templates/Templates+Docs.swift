extension PageTemplates {
    /// The rendered API documentation. Descriptions are HTML made by DocText from the compiled-in OpenAPI documents
    /// (escaped first), the only text these templates insert unescaped.
    static let docs: [(name: String, text: String)] = [
        (
            "api-docs",
            #"""
            {{<layout}}
            {{$content}}
            <!--kiln:splice-->
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            // The documentation itself, rendered once per document when the responder starts.
            "api-docs-body",
            #"""
            <p class="muted">Version {{doc.version}} · {{doc.operationCount}} operations ·
            <a href="{{jsonHref}}">the OpenAPI document (JSON)</a>
            {{#otherHref}} · <a href="{{otherHref}}">{{otherName}}</a>{{/otherHref}}</p>
            <nav class="card" aria-label="Contents">
            <h2>Contents</h2>
            <ul>
            {{#doc.groups}}
            <li><a href="#{{anchor}}">{{name}}</a>
            <ul>
            {{#operations}}
            <li><a href="#{{anchor}}"><code>{{method}} {{path}}</code></a> {{summary}}</li>
            {{/operations}}
            </ul>
            </li>
            {{/doc.groups}}
            <li><a href="#schemas">Schemas</a></li>
            </ul>
            </nav>
            <section class="card doc-intro">
            {{{doc.introduction}}}
            </section>
            {{#doc.groups}}
            <section id="{{anchor}}">
            <h2>{{name}}</h2>
            {{{description}}}
            {{#operations}}
            <article class="card operation" id="{{anchor}}">
            <h3><span class="method method-{{method}}">{{method}}</span> <code>{{path}}</code></h3>
            <p><strong>{{summary}}</strong></p>
            {{{description}}}
            {{#hasParameters}}
            <table>
            <caption>Parameters</caption>
            <thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>
            <tbody>
            {{#parameters}}
            <tr><td><code>{{name}}</code>{{#required}} <span class="muted">(required)</span>{{/required}}</td>
            <td>{{location}}</td><td>{{type}}</td><td>{{{description}}}</td></tr>
            {{/parameters}}
            </tbody>
            </table>
            {{/hasParameters}}
            {{#body}}<p>Request body: <code>{{.}}</code></p>{{/body}}
            <table>
            <caption>Responses</caption>
            <thead><tr><th>Status</th><th>Description</th><th>Body</th></tr></thead>
            <tbody>
            {{#responses}}
            <tr><td>{{status}}</td><td>{{{description}}}</td><td>{{type}}</td></tr>
            {{/responses}}
            </tbody>
            </table>
            </article>
            {{/operations}}
            </section>
            {{/doc.groups}}
            <section id="schemas">
            <h2>Schemas</h2>
            {{#doc.schemas}}
            <article class="card schema" id="{{anchor}}">
            <h3>{{name}}{{#type}} <span class="muted">{{.}}</span>{{/type}}</h3>
            {{{description}}}
            {{#hasProperties}}
            <table>
            <thead><tr><th>Property</th><th>Type</th><th>Description</th></tr></thead>
            <tbody>
            {{#properties}}
            <tr><td><code>{{name}}</code>{{#required}} <span class="muted">(required)</span>{{/required}}</td>
            <td>{{type}}</td><td>{{{description}}}</td></tr>
            {{/properties}}
            </tbody>
            </table>
            {{/hasProperties}}
            </article>
            {{/doc.schemas}}
            </section>
            """#
        ),
    ]
}
