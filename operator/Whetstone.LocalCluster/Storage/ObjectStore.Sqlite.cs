using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Whetstone.LocalCluster.Storage;

/// <summary>Loading from and writing to the SQLite database.</summary>
internal sealed partial class ObjectStore
{
    private void Load()
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT value FROM meta WHERE key = 'resourceVersion'";
            _allocatedVersion = (long)command.ExecuteScalar()!;
        }
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT resource, namespace, name, rv, body FROM objects";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var json = reader.GetString(4);
                var stored = new StoredObject(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    JsonNode.Parse(json)!.AsObject(), json);
                _committed.Apply(stored, remove: false);
            }
        }
        _writers = _committed.Clone();
        // Watches may resume from any version at or after the restart; older ones get 410 and re-list.
        _committedVersion = _allocatedVersion;
        _compactedVersion = _allocatedVersion;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    private static SqliteCommand Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        return command;
    }
}
