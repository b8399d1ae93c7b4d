using System.Threading.Tasks;
using Maran.Instrument;

namespace App;

public class Service
{
    [MonitorOperation("ask", "app")]
    public string Ask(string question) => question;

    [MonitorOperation("run", "app")]
    public void Run() { }

    public string Plain() => "";
}
