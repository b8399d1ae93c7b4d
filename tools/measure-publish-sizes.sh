#!/usr/bin/env bash
# Measures what each package adds to a publish: packs every runtime package of this checkout into a local feed,
# then publishes one net10.0 console app (`dotnet publish -r linux-x64 --self-contained false`) without any
# package, with Maran.Instrument only, and with each feature package, and prints the size of each publish folder
# and its growth over the bare app, in MB (10^6 bytes).
# Usage: tools/measure-publish-sizes.sh [work-directory]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
version="0.0.0-size.$(date -u +%Y%m%d%H%M%S)"
feed="$work/feed"
packages=(Maran.Instrument Maran.Instrument.Hosting Maran.Instrument.Prometheus Maran.Instrument.Sqlite
          Maran.Instrument.Serilog Maran.Instrument.Email Maran.Instrument.Tokenizers Maran.Instrument.OpenTelemetry
          Maran.Instrument.Dashboard Maran.Instrument.All)
mkdir -p "$feed"

for package in "${packages[@]}"; do
  dotnet pack "$repo/runtime/$package/$package.csproj" -c Release -o "$feed" -p:Version="$version" -v quiet -nologo >&2
done

app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > "$app/SizeApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <DefineConstants Condition="'\$(MaranPackage)' != ''">\$(DefineConstants);MARAN</DefineConstants>
  </PropertyGroup>
  <ItemGroup Condition="'\$(MaranPackage)' != ''">
    <PackageReference Include="\$(MaranPackage)" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$app/Program.cs" <<'CS'
Console.WriteLine(Work.Step(2));

internal static class Work
{
#if MARAN
    [Maran.Instrument.MonitorOperation("step", "size")]
#endif
    public static int Step(int i) => i * 2;
}
CS

publish() {
  local name=$1 out="$work/out/$1"
  rm -rf "$app/obj" "$app/bin"
  dotnet publish "$app/SizeApp.csproj" -c Release -r linux-x64 --self-contained false -o "$out" \
    -p:MaranPackage="$2" -v quiet -nologo >&2
  du -sb "$out" | cut -f1
}

bare=$(publish bare "")
printf '%-32s %10s %10s\n' package "MB" "+MB"
printf '%-32s %10.1f %10s\n' "(none)" "$(echo "$bare / 1000000" | bc -l)" "-"
for package in "${packages[@]}"; do
  size=$(publish "$package" "$package")
  printf '%-32s %10.1f %10.1f\n' "$package" "$(echo "$size / 1000000" | bc -l)" "$(echo "($size - $bare) / 1000000" | bc -l)"
done
