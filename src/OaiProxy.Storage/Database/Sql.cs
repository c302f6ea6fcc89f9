using System.Data.Common;

namespace OaiProxy.Storage.Database;

/// <summary>Small ADO.NET helpers: commands with <c>@name</c> parameters (null becomes SQL NULL) on either database.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        foreach (var (name, value) in parameters) Add(command, name, value);
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> ScalarInt64Async(DbConnection connection, DbTransaction? transaction, string text, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, text, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Parameters <c>@{prefix}0</c>, <c>@{prefix}1</c>, ... for <paramref name="values"/>, and the list of their names for an <c>IN (...)</c>.</summary>
    public static (string Names, (string Name, object? Value)[] Parameters) InList(string prefix, IReadOnlyList<string> values)
    {
        var parameters = new (string Name, object? Value)[values.Count];
        for (var i = 0; i < values.Count; i++) parameters[i] = (prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        return (string.Join(", ", parameters.Select(p => "@" + p.Name)), parameters);
    }

    public static long? Int64OrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static long Int64(DbDataReader reader, int ordinal) => Int64OrNull(reader, ordinal) ?? 0;

    public static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
