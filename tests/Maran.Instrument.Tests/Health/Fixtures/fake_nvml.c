/*
 * A stand-in for NVIDIA's libnvidia-ml.so: the NVML functions the health monitor calls, with two fake devices
 * whose readings the tests know. fake_nvml_set_scenario switches what nvmlInit_v2 and the device count report;
 * the counters let tests check that the monitor initialises once and shuts down what it started.
 */
#include <string.h>

typedef int nvmlReturn_t;
typedef struct fake_device *nvmlDevice_t;
typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;

enum { NVML_SUCCESS = 0, NVML_ERROR_UNINITIALIZED = 1, NVML_ERROR_INVALID_ARGUMENT = 2, NVML_ERROR_NOT_SUPPORTED = 3,
       NVML_ERROR_INSUFFICIENT_SIZE = 7, NVML_ERROR_DRIVER_NOT_LOADED = 9, NVML_ERROR_GPU_IS_LOST = 15 };

enum { SCENARIO_TWO_DEVICES = 0, SCENARIO_DRIVER_NOT_LOADED = 1, SCENARIO_NO_DEVICE = 2 };

struct fake_device {
    const char *name;
    const char *uuid;
    nvmlReturn_t utilization_rc;
    nvmlUtilization_t utilization;
    nvmlMemory_t memory;
    unsigned int temperature;
    nvmlReturn_t power_rc;
    unsigned int power_mw;
    unsigned int power_limit_mw;
};

static struct fake_device devices[2] = {
    { "NVIDIA H100 80GB HBM3", "GPU-11111111-2222-3333-4444-555555555555", NVML_SUCCESS, { 87, 41 },
      { 85899345920ULL, 42949672960ULL, 42949672960ULL }, 64, NVML_SUCCESS, 312500, 700000 },
    { "NVIDIA A10G", "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", NVML_ERROR_GPU_IS_LOST, { 0, 0 },
      { 25769803776ULL, 24696061952ULL, 1073741824ULL }, 38, NVML_ERROR_NOT_SUPPORTED, 0, 300000 },
};

static int scenario = SCENARIO_TWO_DEVICES;
static int init_calls = 0;
static int shutdown_calls = 0;
static int initialised = 0;

void fake_nvml_set_scenario(int value) { scenario = value; init_calls = 0; shutdown_calls = 0; initialised = 0; }
int fake_nvml_init_calls(void) { return init_calls; }
int fake_nvml_shutdown_calls(void) { return shutdown_calls; }

nvmlReturn_t nvmlInit_v2(void)
{
    init_calls++;
    if (scenario == SCENARIO_DRIVER_NOT_LOADED) return NVML_ERROR_DRIVER_NOT_LOADED;
    initialised++;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void)
{
    shutdown_calls++;
    if (initialised == 0) return NVML_ERROR_UNINITIALIZED;
    initialised--;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (!count) return NVML_ERROR_INVALID_ARGUMENT;
    *count = scenario == SCENARIO_NO_DEVICE ? 0 : 2;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    if (!initialised) return NVML_ERROR_UNINITIALIZED;
    if (index >= 2 || !device) return NVML_ERROR_INVALID_ARGUMENT;
    *device = &devices[index];
    return NVML_SUCCESS;
}

static nvmlReturn_t copy_string(const char *value, char *buffer, unsigned int length)
{
    if (!buffer) return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(value) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
    strcpy(buffer, value);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
    return device ? copy_string(device->name, name, length) : NVML_ERROR_INVALID_ARGUMENT;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length)
{
    return device ? copy_string(device->uuid, uuid, length) : NVML_ERROR_INVALID_ARGUMENT;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization)
{
    if (!device || !utilization) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->utilization_rc != NVML_SUCCESS) return device->utilization_rc;
    *utilization = device->utilization;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
    if (!device || !memory) return NVML_ERROR_INVALID_ARGUMENT;
    *memory = device->memory;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temperature)
{
    if (!device || !temperature || sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
    *temperature = device->temperature;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power)
{
    if (!device || !power) return NVML_ERROR_INVALID_ARGUMENT;
    if (device->power_rc != NVML_SUCCESS) return device->power_rc;
    *power = device->power_mw;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit)
{
    if (!device || !limit) return NVML_ERROR_INVALID_ARGUMENT;
    *limit = device->power_limit_mw;
    return NVML_SUCCESS;
}
