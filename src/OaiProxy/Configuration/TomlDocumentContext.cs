using Tomlyn.Model;
using Tomlyn.Serialization;

namespace OaiProxy.Configuration;

/// <summary>Generated TOML metadata for the untyped document model, so reading a config needs no reflection (Native AOT).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlDocumentContext : TomlSerializerContext;
