extension PageTemplates {
    /// The frame every page inherits (`{{<layout}}`): head, navigation, who is signed in, and the blocks a page
    /// fills: `title` is taken from the model, `content` is the page, `scripts` its own scripts (at the end of body).
    static let layout: [(name: String, text: String)] = [
        (
            "layout",
            #"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{layout.title}} · Kiln</title>
            <link rel="stylesheet" href="/static/kiln.css">
            <link rel="icon" href="/static/kiln.svg" type="image/svg+xml">
            </head>
            <body>
            <header class="top">
            <a class="brand" href="/"><img src="/static/kiln.svg" alt="" width="24" height="24"> Kiln</a>
            <nav aria-label="Main">
            <ul>
            {{#layout.nav}}
            <li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a></li>
            {{/layout.nav}}
            </ul>
            </nav>
            <div class="who">
            {{#layout.user}}
            <span class="user" title="{{layout.groups}}">{{layout.user}}</span>
            <form method="post" action="/signout" class="inline">
            <input type="hidden" name="csrf" value="{{layout.csrf}}">
            <button type="submit" class="link">Sign out</button>
            </form>
            {{/layout.user}}
            {{^layout.user}}
            <a href="{{layout.signInHref}}">Sign in</a>
            {{/layout.user}}
            </div>
            </header>
            <main>
            <h1>{{layout.title}}</h1>
            {{$content}}{{/content}}
            </main>
            <footer>
            <p>Kiln · <a href="/api/1/about/">about</a> · <a href="/docs/api/">ODCS API</a> ·
            <a href="/docs/cts-api/">tracking API</a></p>
            </footer>
            {{$scripts}}{{/scripts}}
            </body>
            </html>

            """#
        ),
        (
            "error",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            <p class="error-message" data-status="{{status}}">{{message}}</p>
            <p><a href="/">Back to the dashboard</a></p>
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
        (
            "signin",
            #"""
            {{<layout}}
            {{$content}}
            {{#view}}
            {{#devSignIn}}
            <p>This is a development stack: sign in as any user, with any groups. Production sites sign in through
            their identity provider instead.</p>
            <form method="post" action="/signin/dev" class="stacked">
            <input type="hidden" name="return_to" value="{{returnTo}}">
            <label for="signin-user">User</label>
            <input id="signin-user" name="user" required pattern="[A-Za-z0-9._@\-]{1,64}" value="{{user}}">
            <label for="signin-groups">Groups (comma-separated)</label>
            <input id="signin-groups" name="groups" value="{{groups}}">
            <button type="submit">Sign in</button>
            </form>
            {{/devSignIn}}
            {{^devSignIn}}
            <p><a class="button" href="{{loginHref}}">Sign in with your identity provider</a></p>
            {{/devSignIn}}
            {{/view}}
            {{/content}}
            {{/layout}}
            """#
        ),
    ]
}
