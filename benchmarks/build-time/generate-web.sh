#!/usr/bin/env bash
# Writes a Blazor web app (Microsoft.NET.Sdk.Web, Razor components) into OUTPUT_DIR, for measure.sh web: the realistic
# project's code (generate-realistic.sh: FILES files of ordinary code, 100 services with one monitored method each,
# 400 monitored call sites, 20 model calls) plus COMPONENTS (default 50) Razor components. Each component has markup
# with parameters, loops, conditions and an event handler, and a code-behind partial class that calls one service's
# monitored method (the place Maran.Instrument asks for such calls); a layout, routes, an app shell and the imports
# make it a whole app. Compiling it runs the SDK's Razor source generator beside Maran.Instrument's generator.
# Usage: generate-web.sh OUTPUT_DIR [COMPONENTS] [FILES]
set -euo pipefail

out=${1:?usage: generate-web.sh OUTPUT_DIR [COMPONENTS] [FILES]}
components=${2:-50}
files=${3:-300}
services=100
here=$(cd "$(dirname "$0")" && pwd)

"$here/generate-realistic.sh" "$out" "$files" "$services" > /dev/null
rm "$out/Realistic.csproj"
# The same project as project.xml's, on the Web SDK.
sed -e 's|<Project Sdk="Microsoft.NET.Sdk">|<Project Sdk="Microsoft.NET.Sdk.Web">|' \
    -e 's|<RootNamespace>BuildTime</RootNamespace>|<RootNamespace>Web</RootNamespace>|' \
    "$here/project.xml" > "$out/Web.csproj"
mkdir -p "$out/Components/Pages" "$out/Components/Shared" "$out/Components/Layout"

cat > "$out/Program.cs" <<'CS'
using Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
app.UseAntiforgery();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
CS

cat > "$out/Components/_Imports.razor" <<'RAZOR'
@using System.Net.Http
@using Microsoft.AspNetCore.Components.Forms
@using Microsoft.AspNetCore.Components.Routing
@using Microsoft.AspNetCore.Components.Web
@using static Microsoft.AspNetCore.Components.Web.RenderMode
@using Microsoft.AspNetCore.Components.Web.Virtualization
@using Microsoft.JSInterop
@using Web.Components
@using Web.Components.Layout
@using Web.Components.Shared
RAZOR

cat > "$out/Components/App.razor" <<'RAZOR'
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8" />
    <base href="/" />
    <HeadOutlet />
</head>
<body>
    <Routes @rendermode="InteractiveServer" />
    <script src="_framework/blazor.web.js"></script>
</body>
</html>
RAZOR

cat > "$out/Components/Routes.razor" <<'RAZOR'
<Router AppAssembly="typeof(Program).Assembly">
    <Found Context="routeData">
        <RouteView RouteData="routeData" DefaultLayout="typeof(Layout.MainLayout)" />
        <FocusOnNavigate RouteData="routeData" Selector="h1" />
    </Found>
</Router>
RAZOR

{
    echo '@inherits LayoutComponentBase'
    echo '<div class="page">'
    echo '    <nav>'
    for ((i = 0; i < components; i++)); do
        echo "        <NavLink href=\"page$i\" Match=\"NavLinkMatch.All\">Page $i</NavLink>"
    done
    echo '    </nav>'
    echo '    <main>@Body</main>'
    echo '</div>'
} > "$out/Components/Layout/MainLayout.razor"

# A shared child component: a table of labelled values with a header parameter.
cat > "$out/Components/Shared/ValueTable.razor" <<'RAZOR'
<table class="table">
    <thead><tr><th colspan="2">@Title</th></tr></thead>
    <tbody>
        @foreach (KeyValuePair<string, string> row in Rows)
        {
            <tr><td>@row.Key</td><td>@row.Value</td></tr>
        }
    </tbody>
</table>

@code {
    [Parameter] public string Title { get; set; } = string.Empty;

    [Parameter] public IReadOnlyDictionary<string, string> Rows { get; set; } = new Dictionary<string, string>();
}
RAZOR

# A page: a form, a list, a condition and the shared table in markup; its code-behind calls a monitored method.
for ((i = 0; i < components; i++)); do
    target=$(( (i * 3) % services ))
    cat > "$out/Components/Pages/Page$i.razor" <<RAZOR
@page "/page$i"

<PageTitle>Page $i</PageTitle>

<h1>Page $i</h1>

<EditForm Model="this" OnSubmit="SubmitAsync" FormName="page$i">
    <InputText @bind-Value="Input" class="form-control" />
    <button type="submit" disabled="@Busy">Send</button>
</EditForm>

@if (Busy)
{
    <p><em>Working…</em></p>
}
else if (Replies.Count == 0)
{
    <p>No replies yet.</p>
}
else
{
    <ul>
        @foreach ((string reply, int index) in Replies.Select((r, n) => (r, n)))
        {
            <li class="@(index % 2 == 0 ? "even" : "odd")" @key="index">@index: @reply.Trim()</li>
        }
    </ul>
}

<ValueTable Title="Page $i" Rows="@Summary" />

<button @onclick="Clear">Clear (@Replies.Count)</button>
RAZOR
    cat > "$out/Components/Pages/Page$i.razor.cs" <<CS
using Microsoft.AspNetCore.Components;
using Realistic.Domain$((target % 10));

namespace Web.Components.Pages;

public partial class Page$i
{
    [Inject] private IChatClient Chat { get; set; } = default!;

    private string Input { get; set; } = string.Empty;

    private bool Busy { get; set; }

    private List<string> Replies { get; } = [];

    private IReadOnlyDictionary<string, string> Summary =>
        Replies.GroupBy(r => r.Length % 3).ToDictionary(g => "group " + g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task SubmitAsync()
    {
        Busy = true;
        try
        {
            Replies.Add(await new Service$target(Chat).HandleAsync(Input));
        }
        finally
        {
            Busy = false;
        }
    }

    private void Clear() => Replies.Clear();
}
CS
done

echo "wrote $files files ($services services, $(( services * 4 + components )) monitored call sites) and $components Razor pages to $out"
